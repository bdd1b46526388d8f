import Testing

@testable import SIPCore

@Suite("RFC 3261 7: message parsing")
struct SIPMessageParsingTests {
    @Test("7.1: Request-Line gives method, Request-URI and version")
    func requestLine() throws {
        let m = try SIPMessage(Sample.invite)
        #expect(m.isRequest)
        #expect(m.method == .invite)
        #expect(m.requestURIText == "sip:+14155550123@switchboard.example.net;user=phone")
        let uri = try m.requestURI()
        #expect(uri.scheme == .sip)
        #expect(uri.user == "+14155550123")
        #expect(uri.userParameter == "phone")
        #expect(m.version == "SIP/2.0")
    }

    @Test("7.2: Status-Line gives code and reason phrase")
    func statusLine() throws {
        let m = try SIPMessage(
            Sample.crlf([
                "SIP/2.0 180 Ringing", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1", "From: <sip:a@b>;tag=1",
                "To: <sip:c@d>;tag=2", "Call-ID: x", "CSeq: 1 INVITE", "Content-Length: 0",
            ]))
        #expect(!m.isRequest)
        #expect(m.statusCode == 180)
        #expect(m.reasonPhrase == "Ringing")
        #expect(m.method == .invite)
        try m.validate()
    }

    @Test("every typed header of a PBX INVITE")
    func typedHeaders() throws {
        let m = try SIPMessage(Sample.invite)
        try m.validate()
        let via = try m.topVia()
        #expect(via.transport == "UDP")
        #expect(via.host == "192.0.2.101")
        #expect(via.port == 5060)
        #expect(via.branch == "z9hG4bK776asdhds")
        #expect(via.hasRFC3261Branch)
        #expect(via.rport == .some(nil))
        let from = try m.from()
        #expect(from.displayName == "Alice Liddell")
        #expect(from.tag == "1928301774")
        #expect(from.uri.user == "alice")
        #expect(try m.to().tag == nil)
        #expect(try m.callID() == "a84b4c76e66710@pbx.example.com")
        #expect(try m.cseq() == CSeq(sequence: 314159, method: .invite))
        #expect(try m.maxForwards() == 70)
        #expect(try m.contentType()?.is("application", "sdp") == true)
        #expect(m.contentLength == Sample.sdp.utf8.count)
        #expect(m.body.count == m.contentLength)
        let contacts = try m.contacts()
        #expect(contacts.count == 1)
        #expect(contacts[0].expires == 3600)
        #expect(contacts[0].uri.transport == "udp")
        #expect(try m.allow().contains(.refer))
        #expect(try Array(m.supported()) == ["replaces", "timer", "100rel"])
        #expect(try m.pAssertedIdentities().first?.uri.user == "+14085550100")
    }

    @Test("7.3.3: compact forms are the same headers as the long forms")
    func compactForms() throws {
        let m = try SIPMessage(
            Sample.crlf([
                "OPTIONS sip:b@example.com SIP/2.0", "v: SIP/2.0/TCP h.example.com;branch=z9hG4bKa", "f: <sip:a@example.com>;tag=1",
                "t: sip:b@example.com", "i: abc@h", "CSeq: 2 OPTIONS", "m: <sip:a@h>", "k: path", "l: 0",
            ]))
        try m.validate()
        #expect(try m.topVia().isTransport("tcp"))
        #expect(try m.callID() == "abc@h")
        #expect(try Array(m.supported()) == ["path"])
        #expect(m.fields(named: "Content-Length").count == 1)
        #expect(m.values(named: "Via").count == 1)
    }

    @Test("7.3.1: commas inside quotes and <> do not split values; folding is white space")
    func listSplittingAndFolding() throws {
        let m = try SIPMessage(
            Sample.crlf([
                "REGISTER sip:example.com SIP/2.0", "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1,",
                " SIP/2.0/UDP b.example.com;branch=z9hG4bK2", "From: <sip:u@example.com>;tag=9", "To: <sip:u@example.com>",
                "Call-ID: r1", "CSeq: 1 REGISTER",
                "Contact: \"Doe, John\" <sip:u,x@192.0.2.4;foo=a>;q=0.5, <sip:u@192.0.2.5>;q=1.0",
                "Content-Length: 0",
            ]))
        try m.validate()
        #expect(m.viaCount == 2)
        #expect(try m.vias().map(\.host) == ["a.example.com", "b.example.com"])
        let c = try m.contacts()
        #expect(c.count == 2)
        #expect(c[0].displayName == "Doe, John")
        #expect(c[0].q == 0.5)
        #expect(c[1].q == 1.0)
    }

    @Test("18.3: a datagram's octets after Content-Length are ignored")
    func trailingOctets() throws {
        let text = Sample.crlf(["OPTIONS sip:b@example.com SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKx", "From: <sip:a@h>;tag=1",
            "To: <sip:b@h>", "Call-ID: c", "CSeq: 1 OPTIONS", "Content-Length: 4"], body: "abcdJUNK")
        let m = try SIPMessage(text)
        #expect(m.body.utf8String == "abcd")
        #expect(m.trailingBytes == 4)
        #expect(m.serialized().utf8String == String(text.dropLast(4)))
    }

    @Test("18.3: Content-Length larger than the datagram is 400")
    func contentLengthTooLarge() {
        let text = Sample.crlf(["OPTIONS sip:b@h SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKx", "Content-Length: 40"], body: "short")
        #expect(throws: SIPParseError.self) { try SIPMessage(text) }
        do { _ = try SIPMessage(text) } catch { #expect(error.status == 400) }
    }

    @Test("21.5.6: SIP/3.0 is 505 Version Not Supported")
    func versionNotSupported() {
        do {
            _ = try SIPMessage("OPTIONS sip:b@h SIP/3.0\r\nVia: SIP/2.0/UDP h\r\n\r\n")
            Issue.record("parsed")
        } catch { #expect(error.status == 505) }
    }

    @Test("parser limits: header count and message size")
    func limits() {
        var lines = ["OPTIONS sip:b@h SIP/2.0"]
        for i in 0..<20 { lines.append("X-H\(i): v") }
        let text = Sample.crlf(lines)
        do {
            _ = try SIPMessage(text, limits: SIPParserLimits(maxHeaders: 10))
            Issue.record("parsed")
        } catch { #expect(error.status == 400) }
        do {
            _ = try SIPMessage(text, limits: SIPParserLimits(maxMessageSize: 100))
            Issue.record("parsed")
        } catch { #expect(error.status == 513) }
    }

    @Test("8.2.2: Require with unknown option tag is 420; unknown scheme 416; Max-Forwards 0 at a proxy 483")
    func coreChecks() throws {
        func request(_ uri: String, _ extra: [String]) throws -> SIPMessage {
            try SIPMessage(Sample.crlf(["INVITE \(uri) SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKx", "From: <sip:a@h>;tag=1",
                "To: <sip:b@h>", "Call-ID: c", "CSeq: 1 INVITE", "Content-Length: 0"] + extra))
        }
        let uas = SIPMessage.RequestPolicy(role: .userAgentServer, supportedOptionTags: ["timer"])
        let proxy = SIPMessage.RequestPolicy(role: .proxy)
        #expect(throws: SIPParseError(status: 420, reason: "Bad Extension: foo", header: "Require")) {
            try request("sip:b@h", ["Require: timer, foo"]).check(uas)
        }
        #expect(throws: SIPParseError(status: 416, reason: "Unsupported URI Scheme: http", header: "Request-URI")) {
            try request("http://example.com/", []).check(proxy)
        }
        #expect(throws: SIPParseError(status: 483, reason: "Too Many Hops", header: "Max-Forwards")) {
            try request("sip:b@h", ["Max-Forwards: 0"]).check(proxy)
        }
        try request("sip:b@h", ["Require: timer"]).check(uas)
    }

    @Test("22.4, RFC 7616 3.4: validation checks every challenge and credentials without keeping them, as their parser would")
    func authenticationSyntax() throws {
        func register(_ authorization: String) throws -> SIPMessage {
            try SIPMessage(Sample.crlf(["REGISTER sip:h SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKx", "From: <sip:a@h>;tag=1",
                "To: <sip:a@h>", "Call-ID: c", "CSeq: 1 REGISTER", "Authorization: \(authorization)", "Content-Length: 0"]))
        }
        let good = "Digest username=\"a\", realm=\"h\", nonce=\"n, m\", uri=\"sip:h\", response=\"0f\", nc=00000001, cnonce=\"c\", qop=auth"
        try register(good).validate()
        #expect(try register(good).authorization().first?.nonce == "n, m")
        for bad in ["Digest realm", "Digest , realm=\"h\"", "Digest realm=\"h\" nonce=\"n\"", "Digest realm=\"h", "=x"] {
            // The check and the parser agree on every case; validation answers 400 naming the header.
            #expect(throws: SIPParseError.self) { try AuthenticationParameters(bad) }
            #expect(throws: SIPParseError.self) { try AuthenticationParameters.check(ArraySlice(bad.utf8), header: .authorization) }
            let error = try #require(throws: SIPParseError.self) { try register(bad).validate() }
            #expect(error.status == 400 && error.header == "Authorization", "\(bad): \(error)")
        }
    }
}
