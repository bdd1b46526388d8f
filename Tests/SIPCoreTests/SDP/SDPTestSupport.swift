@testable import SIPCore

/// Joins SDP lines with CRLF, one after every line, as on the wire.
func sdp(_ lines: String...) -> String {
    lines.map { $0 + "\r\n" }.joined()
}

func sdp(lines: [String]) -> String {
    lines.map { $0 + "\r\n" }.joined()
}
