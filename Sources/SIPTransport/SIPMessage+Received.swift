import SIPCore

extension SIPMessage {
    /// RFC 3261 18.2.1 and RFC 3581 4: adds `received=<source ip>` to the top
    /// Via when its sent-by host is not the source address, and fills an
    /// empty `rport` with the source port (adding `received` then too).
    /// Leaves the message untouched when neither applies.
    mutating func stampReceived(from source: SocketAddress, topVia via: Via) {
        let fillRport = via.rport == .some(nil)
        let addReceived = fillRport || !Self.sentBy(via, isAddress: source)
        guard fillRport || addReceived else { return }
        let raw = via.raw.utf8String
        let parameterText = via.parameters.text
        let head = String(raw.utf8.dropLast(parameterText.utf8.count)) ?? raw
        var value = head
        for segment in Self.parameterSegments(parameterText) {
            let p = segment.trimmingSpaces
            guard !p.isEmpty else { continue }
            let name = (p.split(separator: "=", maxSplits: 1).first.map(String.init) ?? p).trimmingSpaces.lowercased()
            if name == "received" { continue }
            if name == "rport", !p.contains("=") {
                value += ";rport=\(source.port)"
            } else {
                value += ";" + p
            }
        }
        if addReceived { value += ";received=\(source.ip)" }
        removeFirstValue(.via)
        prependHeader("Via", value: value)
    }

    /// The `;`-separated parameters of a Via, with semicolons inside quoted values kept.
    private static func parameterSegments(_ text: String) -> [String] {
        var segments: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for c in text {
            if quoted {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    quoted = false
                }
                current.append(c)
            } else if c == ";" {
                segments.append(current)
                current = ""
            } else {
                if c == "\"" { quoted = true }
                current.append(c)
            }
        }
        segments.append(current)
        return segments
    }

    /// Whether the Via's sent-by host is the numeric address `source`.
    private static func sentBy(_ via: Via, isAddress source: SocketAddress) -> Bool {
        guard via.hostKind == .ipv4 || via.hostKind == .ipv6, let host = SocketAddress(ip: via.host, port: 0) else { return false }
        return host.hasSameHost(as: source)
    }
}

extension ArraySlice<UInt8> {
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}
