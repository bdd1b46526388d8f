import Testing

@testable import SIPCore

@Suite("RFC 3261 19.1, RFC 3966, RFC 5118: URIs")
struct SIPURITests {
    @Test("19.1.1: every component of a SIP URI")
    func components() throws {
        let u = try SIPURI("sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent")
        #expect(u.scheme == .sips)
        #expect(u.user == "alice")
        #expect(u.password == "secret")
        #expect(u.host == "atlanta.example.com")
        #expect(u.hostKind == .name)
        #expect(u.port == 5061)
        #expect(u.transport == "tcp")
        #expect(u.isLooseRouter)
        #expect(u.maddr == "239.255.255.1")
        #expect(u.headers.map(\.name) == ["subject", "priority"])
        #expect(u.headers.first?.value == "project x")
        #expect(u.description == "sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr;maddr=239.255.255.1?subject=project%20x&priority=urgent")
    }

    @Test("19.1.2: %-escapes are decoded exactly once")
    func escapes() throws {
        let u = try SIPURI("sip:%2541%40x@example.com")
        #expect(u.user == "%41@x")
        #expect(u.rawUser == "%2541%40x")
        #expect(throws: SIPParseError.self) { try SIPURI("sip:bad%zzescape@example.com") }
    }

    @Test("RFC 5118 4.1-4.4: IPv6 references, with and without port")
    func ipv6() throws {
        let a = try SIPURI("sip:[2001:db8::10]:5070")
        #expect(a.hostKind == .ipv6)
        #expect(a.host == "2001:db8::10")
        #expect(a.port == 5070)
        #expect(a.hostPort == "[2001:db8::10]:5070")
        let b = try SIPURI("sip:user@[2001:db8::10:5070]")
        #expect(b.port == nil)
        #expect(try SIPURI("sip:[::ffff:192.0.2.10]").hostKind == .ipv6)
        #expect(throws: SIPParseError.self) { try SIPURI("sip:user@2001:db8::10") }
        #expect(throws: SIPParseError.self) { try SIPURI("sip:[2001:db8::10") }
        #expect(throws: SIPParseError.self) { try SIPURI("sip:[1:2:3:4:5:6:7:8:9]") }
    }

    @Test("RFC 3966: tel URIs with parameters")
    func tel() throws {
        let t = try SIPURI("tel:+1-201-555-0123;phone-context=example.com;ext=22")
        #expect(t.scheme == .tel)
        #expect(t.user == "+1-201-555-0123")
        #expect(t.parameters["phone-context"] == "example.com")
        #expect(t.parameters["EXT"] == "22")
    }

    @Test("8.2.2.1: other schemes are kept as absolute URIs")
    func absolute() throws {
        let u = try SIPURI("urn:service:sos")
        #expect(u.scheme == .other)
        #expect(u.schemeName == "urn")
        #expect(u.opaquePart == "service:sos")
        #expect(throws: SIPParseError.self) { try SIPURI("<sip:a@b>") }
        #expect(throws: SIPParseError.self) { try SIPURI("sip:a@b c") }
        #expect(throws: SIPParseError.self) { try SIPURI("sip:a@256.1.1.1") }
        #expect(throws: SIPParseError.self) { try SIPURI("sip:a@h:70000") }
    }

    @Test("20.10: name-addr and addr-spec forms; parameters of addr-spec belong to the header")
    func nameAddress() throws {
        let a = try NameAddress("\"Bob \\\"B\\\"\" <sip:bob@example.com;transport=udp>;tag=abc")
        #expect(a.displayName == "Bob \"B\"")
        #expect(a.uri.transport == "udp")
        #expect(a.tag == "abc")
        let b = try NameAddress("sip:bob@example.com;tag=xyz")
        #expect(!b.isNameAddr)
        #expect(b.uri.parameters.isEmpty)
        #expect(b.tag == "xyz")
        let c = try NameAddress("Bob Smith <sip:bob@example.com>")
        #expect(c.displayName == "Bob Smith")
        #expect(throws: SIPParseError.self) { try NameAddress("sip:bob@example.com?Route=x") }
        #expect(throws: SIPParseError.self) { try NameAddress("\"unterminated <sip:bob@example.com>") }
        #expect(throws: SIPParseError.self) { try NameAddress("< sip:bob@example.com >") }
    }

    @Test("20.42: Via sent-by, received, rport, maddr, ttl; RFC 5118 4.5 IPv6 received")
    func via() throws {
        let v = try Via("SIP / 2.0 / TLS [2001:db8::9:1]:5061 ; branch = z9hG4bKabc ; received=[2001:db8::9:255];rport=5062;maddr=224.2.0.1;ttl=16")
        #expect(v.transport == "TLS")
        #expect(v.host == "2001:db8::9:1")
        #expect(v.sentBy == "[2001:db8::9:1]:5061")
        #expect(v.branch == "z9hG4bKabc")
        #expect(v.received == "2001:db8::9:255")
        #expect(v.rport == .some(5062))
        #expect(v.maddr == "224.2.0.1")
        #expect(v.ttl == 16)
        #expect(throws: SIPParseError.self) { try Via("SIP/2.0/UDP host;ttl=300") }
        #expect(throws: SIPParseError.self) { try Via("SIP/2.0/UDP host;;") }
        #expect(throws: SIPParseError.self) { try Via("SIP/2.0/UDP") }
        #expect(throws: SIPParseError.self) { try Via("SIP/2.0/UDP host;received=example.com") }
    }

    @Test("22.4 and RFC 7616: challenges and credentials")
    func authentication() throws {
        let c = try AuthenticationParameters(
            "Digest realm=\"sip.example.com\", nonce=\"abc, def\", algorithm=SHA-256, qop=\"auth,auth-int\", stale=TRUE",
            header: .wwwAuthenticate)
        #expect(c.isDigest)
        #expect(c.realm == "sip.example.com")
        #expect(c.nonce == "abc, def")
        #expect(c.algorithm == "SHA-256")
        #expect(c.qop == ["auth", "auth-int"])
        #expect(c.stale)
        let r = try AuthenticationParameters(
            "Digest username=\"bob\", realm=\"r\", nonce=\"n\", uri=\"sip:r\", response=\"0123\", nc=0000000a, cnonce=\"x\", qop=auth")
        #expect(r.nonceCount == 10)
        #expect(r.username == "bob")
        #expect(throws: SIPParseError.self) { try AuthenticationParameters("Digest realm") }
    }

    @Test("RFC 3326 Reason, RFC 3261 20.33 Retry-After, 20.17 Date, RFC 6442 Geolocation")
    func otherHeaders() throws {
        let m = try SIPMessage(
            Sample.crlf([
                "BYE sip:b@h SIP/2.0", "Via: SIP/2.0/UDP h;branch=z9hG4bKx", "From: <sip:a@h>;tag=1", "To: <sip:b@h>;tag=2",
                "Call-ID: c", "CSeq: 2 BYE", "Reason: Q.850;cause=16;text=\"Normal call clearing\", SIP;cause=200",
                "Retry-After: 120 (in a meeting);duration=3600", "Date: Sat, 13 Nov 2010 23:29:00 GMT",
                "Geolocation: <cid:target123@atlanta.example.com>;inserted-by=pbx, <https://lis.example.com/loc>",
                "Geolocation-Routing: no", "Content-Length: 0",
            ]))
        try m.validate()
        let reasons = try m.reasons()
        #expect(reasons.map(\.protocolName) == ["Q.850", "SIP"])
        #expect(reasons[0].cause == 16)
        #expect(reasons[0].text == "Normal call clearing")
        let ra = try m.retryAfter()
        #expect(ra?.seconds == 120)
        #expect(ra?.comment == "in a meeting")
        #expect(ra?.duration == 3600)
        #expect(try m.date()?.year == 2010)
        let geo = try m.geolocations()
        #expect(geo.map(\.uri.schemeName) == ["cid", "https"])
        #expect(geo[0].parameters["inserted-by"] == "pbx")
        #expect(try m.geolocationRouting() == false)
    }
}
