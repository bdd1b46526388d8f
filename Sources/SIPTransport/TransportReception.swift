import SIPCore

/// What the transport does with one received message, before any
/// transaction sees it (RFC 3261 18.1.2, 18.2.1; RFC 3581): parse it, check
/// the headers a transaction is keyed on, stamp `received`/`rport`, and turn
/// an unusable request into the error response the parser's reason names.
///
/// Pure: bytes and the source address in, a decision out.
enum TransportReception {
    enum Outcome {
        /// Hand to the layer above. `alias` is the Via sent-by of a request
        /// that asked for connection reuse (RFC 5923), when it is numeric.
        case deliver(SIPMessage, alias: SocketAddress?)
        /// Answer statelessly with this response (sent to `destination`) and deliver nothing.
        case reply(SIPMessage, destination: SocketAddress, error: SIPParseError)
        /// Drop silently, counting the reason.
        case drop(SIPParseError)
    }

    static func receive(
        _ bytes: [UInt8], framing: SIPFraming, transport: TransportProtocol, source: SocketAddress, limits: SIPParserLimits
    ) -> Outcome {
        var message: SIPMessage
        do {
            message = try SIPMessage(bytes: bytes, framing: framing, limits: limits)
        } catch {
            guard looksLikeRequest(bytes) else { return .drop(error) }
            return reject(salvaging: bytes[...], error: error, transport: transport, source: source)
        }
        if message.isRequest {
            let via: Via
            do {
                via = try message.cacheTopVia()
                try checkRequest(message)
            } catch {
                return reject(message, error: error, transport: transport, source: source)
            }
            let alias = transport.isReliable && via.parameters.contains("alias") ? numericSentBy(via, transport: transport) : nil
            message.stampReceived(from: source, topVia: via)
            // Stamping edits the Via: parsed again (it is known to parse), for the layers above.
            _ = try? message.cacheTopVia()
            return .deliver(message, alias: alias)
        }
        do {
            try message.cacheTopVia()
            _ = try message.cseq()
            _ = try message.callIDBytes()
        } catch {
            return .drop(error)
        }
        return .deliver(message, alias: nil)
    }

    /// The headers a server transaction and a stateless response need
    /// (RFC 3261 8.1.1, 17.2.3): From, To, Call-ID, CSeq matching the method.
    private static func checkRequest(_ m: SIPMessage) throws(SIPParseError) {
        _ = try m.from()
        _ = try m.to()
        _ = try m.callIDBytes()
        let cseq = try m.cseq()
        if cseq.method != m.method {
            throw SIPParseError(status: 400, reason: "CSeq method \(cseq.method) does not match \(m.method)", header: "CSeq")
        }
    }

    /// A response to a request whose index parsed but whose headers did not.
    private static func reject(_ request: SIPMessage, error: SIPParseError, transport: TransportProtocol, source: SocketAddress) -> Outcome {
        guard let via = try? request.topVia(), request.method != .ack,
            (try? request.cseq().method) != .ack,
            request.firstField(.from) != nil, request.firstField(.to) != nil, request.firstField(.callID) != nil,
            request.firstField(.cseq) != nil
        else { return .drop(error) }
        let response = request.makeResponse(status: error.status, reason: error.reason)
        return .reply(response, destination: replyDestination(via: via, source: source, transport: transport), error: error)
    }

    /// A response to a request the parser could not index: the Via, From,
    /// To, Call-ID and CSeq lines are picked out of the raw header section;
    /// when they make a usable response it is sent, otherwise nothing is.
    static func reject(salvaging bytes: ArraySlice<UInt8>, error: SIPParseError, transport: TransportProtocol, source: SocketAddress) -> Outcome {
        let lines = responseHeaderLines(bytes)
        guard !lines.isEmpty else { return .drop(error) }
        var text = "OPTIONS sip:invalid SIP/2.0\r\n"
        for line in lines { text += line + "\r\n" }
        text += "Content-Length: 0\r\n\r\n"
        guard let shell = try? SIPMessage(text), let via = try? shell.topVia(), let cseq = try? shell.cseq(), cseq.method != .ack,
            shell.firstField(.from) != nil, shell.firstField(.to) != nil, shell.firstField(.callID) != nil,
            !startsWithMethod(bytes, "ACK")
        else { return .drop(error) }
        let response = shell.makeResponse(status: error.status, reason: error.reason)
        return .reply(response, destination: replyDestination(via: via, source: source, transport: transport), error: error)
    }

    /// Where a stateless response goes over an unreliable transport (RFC 3261
    /// 18.2.2, RFC 3581 4): the source address, and the source port when the
    /// request asked for `rport`, else the sent-by port.
    static func replyDestination(via: Via, source: SocketAddress, transport: TransportProtocol) -> SocketAddress {
        if transport.isReliable || via.rport != nil { return source }
        return source.with(port: via.port ?? transport.defaultPort)
    }

    /// The sent-by of a Via as an address, when it is a numeric host.
    static func numericSentBy(_ via: Via, transport: TransportProtocol) -> SocketAddress? {
        guard via.hostKind == .ipv4 || via.hostKind == .ipv6 else { return nil }
        return SocketAddress(ip: via.host, port: via.port ?? transport.defaultPort)
    }

    /// Anything but a Status-Line is treated as a request.
    private static func looksLikeRequest(_ bytes: [UInt8]) -> Bool {
        var i = 0
        while i < bytes.count, bytes[i] == 0x0D || bytes[i] == 0x0A { i += 1 }
        guard bytes.count - i >= 4 else { return false }
        let prefix = bytes[i..<(i + 4)].map { $0 | 0x20 }
        return prefix != Array("sip/".utf8)
    }

    private static func startsWithMethod(_ bytes: ArraySlice<UInt8>, _ method: String) -> Bool {
        let m = Array((method + " ").utf8)
        let body = bytes.drop { $0 == 0x0D || $0 == 0x0A }
        return body.starts(with: m)
    }

    /// The unfolded Via, From, To, Call-ID and CSeq lines of a header section (compact forms included).
    private static func responseHeaderLines(_ bytes: ArraySlice<UInt8>) -> [String] {
        let wanted: Set<String> = ["via", "v", "from", "f", "to", "t", "call-id", "i", "cseq"]
        var physical: [ArraySlice<UInt8>] = []
        var start = bytes.startIndex
        var i = start
        while i < bytes.endIndex {
            if bytes[i] == 0x0A {
                var end = i
                if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                if end == start, !physical.isEmpty { break }
                physical.append(bytes[start..<end])
                start = i + 1
            }
            i += 1
        }
        // The start line is first; fold continuation lines into the line before them.
        var logical: [[UInt8]] = []
        for line in physical.dropFirst() {
            if let first = line.first, first == 0x20 || first == 0x09, !logical.isEmpty {
                logical[logical.count - 1].append(0x20)
                logical[logical.count - 1].append(contentsOf: line.drop { $0 == 0x20 || $0 == 0x09 })
            } else {
                logical.append(Array(line))
            }
        }
        var out: [String] = []
        for line in logical {
            guard let colon = line.firstIndex(of: 0x3A) else { continue }
            let name = String(decoding: line[..<colon], as: UTF8.self).trimmingSpaces.lowercased()
            guard wanted.contains(name) else { continue }
            let text = String(decoding: line, as: UTF8.self)
            guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" }) else { continue }
            out.append(text)
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return String(s)
    }
}
