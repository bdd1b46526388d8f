import Testing

@testable import SIPCore

/// List headers read without building arrays: values in message order
/// across several fields, the same checks as before, and an index that
/// follows edits.
@Suite("RFC 3261 7.3.1: list headers")
struct HeaderListTests {
    static func request(_ extra: [String]) throws -> SIPMessage {
        try SIPMessage(
            Sample.crlf(
                [
                    "OPTIONS sip:b@example.net SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1", "From: <sip:a@example.net>;tag=1",
                    "To: <sip:b@example.net>", "Call-ID: x", "CSeq: 1 OPTIONS", "Max-Forwards: 70",
                ] + extra + ["Content-Length: 0"]))
    }

    @Test("7.3.1: several fields of one name are one list, in order; one value needs no array")
    func valuesAcrossFields() throws {
        let m = try Self.request([
            "Route: <sip:p1.example.net;lr>, <sip:p2.example.net;lr>", "Route: <sip:p3.example.net;lr>",
            "P-Asserted-Identity: <sip:+14085550100@example.net>",
        ])
        let routes = try m.routes()
        #expect(routes.count == 3)
        #expect(routes.map(\.uri.host) == ["p1.example.net", "p2.example.net", "p3.example.net"])
        #expect(routes[2].uri.isLooseRouter)
        #expect(routes.first?.uri.host == "p1.example.net")
        let identities = try m.pAssertedIdentities()
        #expect(identities.count == 1)
        #expect(identities[0].uri.user == "+14085550100")
        #expect(try m.recordRoutes().isEmpty)
        #expect(try m.recordRoutes().first == nil)
    }

    @Test("HeaderValues: equal when the values are, whatever way they were built")
    func headerValuesEquality() throws {
        let m = try Self.request(["Route: <sip:p1.example.net;lr>, <sip:p2.example.net;lr>"])
        let routes = try m.routes()
        let rebuilt = HeaderValues(Array(routes))
        #expect(rebuilt == routes)
        #expect(HeaderValues<Int>() == [])
        #expect(HeaderValues([1, 2, 3]) == [1, 2, 3])
        #expect(HeaderValues([1, 2, 3]) != [1, 2])
        #expect(Array(HeaderValues([7])) == [7])
    }

    @Test("7.3.1, 20.5: Allow across fields; empty elements skipped; methods compare case-sensitively")
    func allow() throws {
        let m = try Self.request(["Allow: INVITE, ACK ,, BYE", "Allow: FOO-BAR"])
        let allow = try m.allow()
        #expect(allow.count == 4)
        #expect(Array(allow) == [.invite, .ack, .bye, SIPMethod("FOO-BAR")])
        #expect(allow.contains(.bye))
        #expect(allow.contains(SIPMethod("FOO-BAR")))
        #expect(!allow.contains(.options))
        #expect(!allow.contains(SIPMethod("invite")))
    }

    @Test("19.2: option tags across fields, compared as written")
    func optionTags() throws {
        let m = try Self.request(["Supported: timer,\r\n 100rel", "Supported: path", "Require: ,"])
        let supported = try m.supported()
        #expect(supported.count == 3)
        #expect(Array(supported) == ["timer", "100rel", "path"])
        #expect(supported.contains("path"))
        #expect(!supported.contains("Path"))
        #expect(try m.require().isEmpty)
        #expect(try m.unsupported().isEmpty)
        #expect(try Array(m.proxyRequire()) == [])
    }

    @Test("25.1: a token list with anything but tokens is 400", arguments: ["timer 100rel", "timer;x=1", "\"timer\"", "tim@er"])
    func badOptionTags(_ value: String) throws {
        let m = try Self.request(["Supported: \(value)"])
        #expect(throws: SIPParseError.self) { try m.supported() }
        do {
            _ = try m.supported()
        } catch {
            #expect(error.status == 400)
        }
        #expect(throws: SIPParseError.self) { try m.validate() }
    }

    @Test("20.5: an Allow element that is not a token is 400")
    func badAllow() throws {
        let m = try Self.request(["Allow: INVITE, BY E"])
        #expect(throws: SIPParseError.self) { try m.allow() }
    }

    @Test("Edits: a header added after parsing is found, one removed is gone")
    func indexFollowsEdits() throws {
        var m = try Self.request([])
        #expect(try m.routes().isEmpty)
        #expect(m.firstField(.recordRoute) == nil)
        m.prependHeader("Record-Route", value: "<sip:203.0.113.5;lr>")
        m.prependHeader("Supported", value: "timer")
        #expect(try m.recordRoutes().first?.uri.host == "203.0.113.5")
        #expect(m.firstField(.recordRoute) != nil)
        #expect(try m.supported().contains("timer"))
        _ = m.removeFirstValue(.recordRoute)
        #expect(try m.recordRoutes().isEmpty)
    }

    @Test("Contact: one address needs no array; * stays *")
    func contact() throws {
        let one = try Self.request(["Contact: <sip:a@192.0.2.1:5060>;expires=60"])
        guard case .addresses(let list)? = try one.contact() else {
            Issue.record("expected addresses")
            return
        }
        #expect(list.count == 1)
        #expect(list[0].expires == 60)
        let two = try Self.request(["Contact: <sip:a@192.0.2.1>, <sip:a@192.0.2.2>", "Contact: <sip:a@192.0.2.3>"])
        #expect(try two.contacts().map(\.uri.host) == ["192.0.2.1", "192.0.2.2", "192.0.2.3"])
    }

    @Test("20.10: white space inside <> is named as such")
    func whiteSpaceInAngles() throws {
        let m = try Self.request(["Contact: <sip:a@192.0.2.1 ;lr>"])
        do {
            _ = try m.contacts()
            Issue.record("accepted white space inside <>")
        } catch {
            #expect(error.status == 400)
            #expect(error.reason.contains("white space inside <>"))
        }
    }
}

/// The header index takes a known name by the bytes up to the colon; what
/// it cannot match goes through the byte-by-byte token check.
@Suite("RFC 3261 7.3.1: header names in the index")
struct HeaderNameIndexTests {
    static func message(_ line: String) throws -> SIPMessage {
        try SIPMessage(
            Sample.crlf([
                "OPTIONS sip:b@example.net SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1", line, "From: <sip:a@example.net>;tag=1",
                "To: <sip:b@example.net>", "Call-ID: x", "CSeq: 1 OPTIONS", "Content-Length: 0",
            ]))
    }

    @Test("7.3.1: white space before the colon, however long, leaves the name known")
    func spaceBeforeColon() throws {
        let m = try Self.message("Max-Forwards" + String(repeating: " ", count: 80) + ": 69")
        #expect(try m.maxForwards() == 69)
        let short = try Self.message("max-forwards\t: 68")
        #expect(try short.maxForwards() == 68)
    }

    @Test("25.1: a CR inside a name is no hyphen: the line is refused, not read as Call-ID")
    func carriageReturnInName() {
        #expect(throws: SIPParseError.self) { try Self.message("Call\rID: y") }
    }

    @Test("7.3.1: unknown names are kept as written; a name that is not a token is 400")
    func unknownNames() throws {
        let m = try Self.message("X-Trunk-Group: tg-7")
        #expect(m.values(named: "x-trunk-group") == ["tg-7"])
        #expect(throws: SIPParseError.self) { try Self.message("X Trunk: 1") }
        #expect(throws: SIPParseError.self) { try Self.message("Via x: 1") }
        #expect(throws: SIPParseError.self) { try Self.message("X-Trunk 1") }
    }

    @Test("25.1: hosts: empty labels and bad dotted quads are refused; four numbers and a dot make a name",
        arguments: [("sip:a@b..example.net", false), ("sip:a@.example.net", false), ("sip:a@192.0.2.256", false),
            ("sip:a@192.0.2.1", true), ("sip:a@192.0.2.1.", true), ("sip:a@1and1.example", true), ("sip:a@-x.example", false)])
    func hosts(_ text: String, _ valid: Bool) {
        #expect(((try? SIPURI(text)) != nil) == valid)
    }
}

/// Parsed values keep two-byte offsets: a value past 65 535 octets (possible
/// only with a raised message size limit) is refused, not misread.
@Suite("Bad input: values longer than parsed offsets reach")
struct OversizeValueTests {
    @Test("A URI over 65 535 octets is 400, and so is a Via or a Contact holding one")
    func oversize() throws {
        let long = String(repeating: "a", count: 70_000)
        do {
            _ = try SIPURI("sip:\(long)@example.net")
            Issue.record("accepted an oversize URI")
        } catch {
            #expect(error.status == 400)
        }
        #expect(throws: SIPParseError.self) { try NameAddress("<sip:\(long)@example.net>", header: .contact) }
        #expect(throws: SIPParseError.self) { try Via("SIP/2.0/UDP \(long).example.net;branch=z9hG4bK1") }
        let limits = SIPParserLimits(maxMessageSize: 200_000)
        let m = try SIPMessage(
            Sample.crlf([
                "OPTIONS sip:b@example.net SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1", "From: <sip:a@example.net>;tag=1",
                "To: <sip:b@example.net>", "Call-ID: x", "CSeq: 1 OPTIONS", "Contact: <sip:\(long)@192.0.2.1>", "Content-Length: 0",
            ]), limits: limits)
        #expect(throws: SIPParseError.self) { try m.contacts() }
        #expect(try m.to().uri.host == "example.net")
    }
}
