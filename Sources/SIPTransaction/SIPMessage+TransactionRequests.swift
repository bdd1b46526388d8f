import SIPCore

/// The requests a transaction builds from the one it sent: the ACK for a
/// non-2xx final response and the CANCEL of a pending INVITE.
extension SIPMessage {
    /// The ACK an INVITE client transaction sends for a 300–699 response
    /// (RFC 3261 17.1.1.3): this request's Request-URI, Call-ID, From and CSeq
    /// number with method ACK, the response's To, one Via (this request's top
    /// Via) and this request's Route header fields.
    public func makeAck(for response: SIPMessage) throws(SIPParseError) -> SIPMessage {
        guard let to = response.firstField(.to) else {
            throw SIPParseError(status: 400, reason: "Missing To header field", header: "To")
        }
        return try makeHopByHopRequest(method: .ack, to: response.value(of: to), extraHeaders: [])
    }

    /// The CANCEL for this INVITE (RFC 3261 9.1): the same Request-URI,
    /// Call-ID, To, From and CSeq number with method CANCEL, one Via (this
    /// request's top Via) and this request's Route header fields; e.g. a
    /// `Reason` (RFC 3326) in `extraHeaders`.
    public func makeCancel(extraHeaders: [(String, String)] = []) throws(SIPParseError) -> SIPMessage {
        guard let to = firstField(.to) else {
            throw SIPParseError(status: 400, reason: "Missing To header field", header: "To")
        }
        return try makeHopByHopRequest(method: .cancel, to: value(of: to), extraHeaders: extraHeaders)
    }

    private func makeHopByHopRequest(method: SIPMethod, to: String, extraHeaders: [(String, String)]) throws(SIPParseError) -> SIPMessage {
        guard isRequest else { throw SIPParseError(status: 400, reason: "Not a request") }
        let via = try topVia()
        let cseq = try cseq()
        guard let from = firstField(.from), let callID = firstField(.callID) else {
            throw SIPParseError(status: 400, reason: "Missing From or Call-ID header field")
        }
        var text = "\(method) \(requestURIText) SIP/2.0\r\n"
        text += "Via: \(via.raw.trimmingASCIIWhitespace().utf8String)\r\n"
        for route in fields(.route) { text += "Route: \(value(of: route))\r\n" }
        text += "Max-Forwards: 70\r\n"
        text += "From: \(value(of: from))\r\n"
        text += "To: \(to)\r\n"
        text += "Call-ID: \(value(of: callID))\r\n"
        text += "CSeq: \(cseq.sequence) \(method)\r\n"
        for (name, value) in extraHeaders { text += "\(name): \(value)\r\n" }
        text += "Content-Length: 0\r\n\r\n"
        return try SIPMessage(text)
    }
}
