import SIPCore

/// The work the benchmarks and the callgrind loop measure, on messages shaped
/// like those a PBX trunk sends. Each function returns a checksum of what it
/// read so that the optimizer cannot drop the work.
public enum SIPWorkloads {
    /// A PBX INVITE with SDP offering PCMU, PCMA and telephone-event, about 1 KB.
    public static let invite: [UInt8] = Array(
        crlf(
            [
                "INVITE sip:+14155550123@trunk.switchboard.example.net:5060;user=phone SIP/2.0",
                "Via: SIP/2.0/UDP 198.51.100.20:5060;rport;branch=z9hG4bK-524287-1---8f1c2a7d9e3b4c61",
                "Max-Forwards: 70",
                "To: \"Bob Carrier\" <sip:+14155550123@trunk.switchboard.example.net;user=phone>",
                "From: \"Alice Liddell\" <sip:+14085550100@pbx.acme.example.com;user=phone>;tag=as6f2c81d4",
                "Call-ID: 3c26700a5b7f4e1a9d0b8c2e61f4a3d7@198.51.100.20",
                "CSeq: 102 INVITE",
                "Contact: \"Alice Liddell\" <sip:+14085550100@198.51.100.20:5060;transport=udp>",
                "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, SUBSCRIBE, NOTIFY, INFO, PUBLISH, MESSAGE, UPDATE",
                "Supported: replaces, timer, 100rel, path",
                "P-Asserted-Identity: \"Alice Liddell\" <sip:+14085550100@pbx.acme.example.com;user=phone>",
                "User-Agent: Asterisk PBX 20.5.2",
                "Session-Expires: 1800;refresher=uac",
                "Min-SE: 90",
                "Content-Type: application/sdp",
                "Content-Length: \(sdp.utf8.count)",
            ], body: sdp).utf8)

    /// The SDP offer inside `invite`.
    public static let sdp = crlf(
        [
            "v=0",
            "o=root 1821092476 1821092476 IN IP4 198.51.100.20",
            "s=Asterisk PBX 20.5.2",
            "c=IN IP4 198.51.100.20",
            "t=0 0",
            "m=audio 17442 RTP/AVP 0 8 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=maxptime:150",
            "a=sendrecv",
        ]
    ).dropLast(2).description

    /// A carrier's 200 OK to `invite` after it crossed Switchboard: two Vias,
    /// Record-Route, answer SDP.
    public static let okResponse: [UInt8] = Array(
        crlf(
            [
                "SIP/2.0 200 OK",
                "Via: SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-sb1-7a41c0e2f9d8;received=203.0.113.5",
                "Via: SIP/2.0/UDP 198.51.100.20:5060;rport=5060;branch=z9hG4bK-524287-1---8f1c2a7d9e3b4c61;received=198.51.100.20",
                "Record-Route: <sip:203.0.113.5;lr>",
                "To: \"Bob Carrier\" <sip:+14155550123@trunk.switchboard.example.net;user=phone>;tag=gK0a1b2c3d",
                "From: \"Alice Liddell\" <sip:+14085550100@pbx.acme.example.com;user=phone>;tag=as6f2c81d4",
                "Call-ID: 3c26700a5b7f4e1a9d0b8c2e61f4a3d7@198.51.100.20",
                "CSeq: 102 INVITE",
                "Contact: <sip:+14155550123@192.0.2.77:5060;transport=udp>",
                "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE",
                "Supported: timer",
                "Session-Expires: 1800;refresher=uac",
                "Require: timer",
                "Content-Type: application/sdp",
                "Content-Length: \(answerSDP.utf8.count)",
            ], body: answerSDP).utf8)

    static let answerSDP = crlf(
        [
            "v=0",
            "o=- 3912 3912 IN IP4 192.0.2.77",
            "s=-",
            "c=IN IP4 192.0.2.77",
            "t=0 0",
            "m=audio 24580 RTP/AVP 0 101",
            "a=rtpmap:0 PCMU/8000",
            "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16",
            "a=ptime:20",
            "a=sendrecv",
        ]
    ).dropLast(2).description

    static func crlf(_ lines: [String], body: String = "") -> String {
        lines.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    /// Parses the index only.
    @inline(never)
    public static func parseIndex(_ bytes: [UInt8]) throws(SIPParseError) -> Int {
        let m = try SIPMessage(bytes: bytes)
        return m.headerFields.count &+ m.contentLength
    }

    /// Parse plus the typed headers a stateful proxy reads for every INVITE
    /// (RFC 3261 16.3-16.6): Request-URI, top Via, From tag, To, Call-ID,
    /// CSeq, Max-Forwards, Content-Type and the Contact.
    @inline(never)
    public static func parseCore(_ bytes: [UInt8]) throws(SIPParseError) -> Int {
        let m = try SIPMessage(bytes: bytes)
        var sum = m.contentLength
        sum &+= Int(try m.requestURI().port ?? 0)
        let top = try m.topVia()
        sum &+= Int(top.port ?? 0) &+ (top.hasRFC3261Branch ? 1 : 0)
        sum &+= try m.from().tag?.utf8.count ?? 0
        sum &+= try m.to().tag == nil ? 1 : 0
        sum &+= try m.callIDBytes().count
        sum &+= Int(try m.cseq().sequence)
        sum &+= try m.maxForwards() ?? 0
        sum &+= try m.contentType() == nil ? 0 : 1
        sum &+= try m.contacts().count
        return sum
    }

    /// Parses and reads every typed header once: the Request-URI, every Via,
    /// the Contact list, every list and scalar header, whether present or not.
    @inline(never)
    public static func parseTyped(_ bytes: [UInt8]) throws(SIPParseError) -> Int {
        let m = try SIPMessage(bytes: bytes)
        var sum = m.headerFields.count &+ m.contentLength
        let uri = try m.requestURI()
        sum &+= Int(uri.port ?? 0)
        let vias = try m.vias()
        sum &+= vias.count
        if let top = vias.first { sum &+= Int(top.port ?? 0) &+ (top.hasRFC3261Branch ? 1 : 0) }
        sum &+= try m.from().raw.count
        sum &+= try m.to().raw.count
        sum &+= try m.callIDBytes().count
        sum &+= Int(try m.cseq().sequence)
        sum &+= try m.maxForwards() ?? 0
        sum &+= try m.contentType() == nil ? 0 : 1
        switch try m.contact() {
        case .addresses(let a)?: sum &+= a.count
        case .star?: sum &+= 1
        case nil: break
        }
        sum &+= try m.routes().count
        sum &+= try m.recordRoutes().count
        sum &+= Int(try m.expires() ?? 0)
        sum &+= try m.require().count
        sum &+= try m.proxyRequire().count
        sum &+= try m.supported().count
        sum &+= try m.unsupported().count
        sum &+= try m.allow().count
        sum &+= try m.wwwAuthenticate().count
        sum &+= try m.proxyAuthenticate().count
        sum &+= try m.authorization().count
        sum &+= try m.proxyAuthorization().count
        sum &+= try m.pAssertedIdentities().count
        sum &+= try m.reasons().count
        sum &+= try m.retryAfter() == nil ? 0 : 1
        sum &+= try m.geolocations().count
        sum &+= try m.date() == nil ? 0 : 1
        return sum
    }

    /// What a stateful proxy does to an INVITE it forwards (RFC 3261 16.6):
    /// parse, add its Via and Record-Route, decrement Max-Forwards, serialize.
    @inline(never)
    public static func proxyRoundTrip(_ bytes: [UInt8]) throws(SIPParseError) -> Int {
        var m = try SIPMessage(bytes: bytes)
        m.prependHeader("Via", value: "SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-sb1-7a41c0e2f9d8;rport")
        m.prependHeader("Record-Route", value: "<sip:203.0.113.5;lr>")
        let hops = try m.decrementMaxForwards()
        let out = m.serialized()
        return out.count &+ hops
    }

    /// What a proxy does to a response (RFC 3261 16.7): parse, remove its own
    /// top Via, serialize.
    @inline(never)
    public static func responseRoundTrip(_ bytes: [UInt8]) throws(SIPParseError) -> Int {
        var m = try SIPMessage(bytes: bytes)
        let removed = m.removeFirstValue(.via)
        let out = m.serialized()
        return out.count &+ (removed?.count ?? 0)
    }
}
