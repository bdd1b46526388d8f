/// Joins SDP lines with CRLF after every line, as on the wire.
func sdpText(_ lines: [String]) -> String {
    lines.map { $0 + "\r\n" }.joined()
}
