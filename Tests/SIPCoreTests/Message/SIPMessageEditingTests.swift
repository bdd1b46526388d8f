import Testing

@testable import SIPCore

@Suite("RFC 3261 16.6: a proxy's edits splice; untouched bytes stay")
struct SIPMessageEditingTests {
    @Test("an untouched message serializes byte-identical, folding and odd spacing included")
    func untouched() throws {
        let text = "OPTIONS sip:b@h SIP/2.0\r\nVia : SIP/2.0/UDP h;branch=z9hG4bKx\r\nSubject: a\r\n  folded line\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\n\r\n"
        let m = try SIPMessage(text)
        #expect(!m.isModified)
        #expect(m.serialized() == Array(text.utf8))
        #expect(m.values(named: "subject") == ["a folded line"])
    }

    @Test("16.6: add Via and Record-Route, decrement Max-Forwards, retarget; other lines unchanged")
    func proxyRoundTrip() throws {
        var m = try SIPMessage(Sample.invite)
        m.prependHeader("Via", value: "SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsb1")
        m.prependHeader("Record-Route", value: "<sip:198.51.100.1;lr>")
        #expect(try m.decrementMaxForwards() == 69)
        m.setRequestURI("sip:+14155550123@carrier.example.com")
        let out = try SIPMessage(bytes: m.serialized())
        try out.validate()
        #expect(out.requestURIText == "sip:+14155550123@carrier.example.com")
        #expect(try out.vias().map(\.host) == ["198.51.100.1", "192.0.2.101"])
        #expect(try out.recordRoutes().first?.uri.isLooseRouter == true)
        #expect(try out.maxForwards() == 69)
        #expect(out.body == m.body)
        // Every original line other than Max-Forwards is still there, byte for byte.
        let original = Sample.invite.components(separatedBy: "\r\n").filter { !$0.hasPrefix("Max-Forwards") && !$0.hasPrefix("INVITE") }
        let written = out.text
        for line in original where !line.isEmpty { #expect(written.contains(line)) }
        // A Record-Route with none before it goes to the top; the new Via goes above the old one.
        #expect(out.headerFields.prefix(2).map(\.name) == [.recordRoute, .via])
    }

    @Test("16.7 step 3: removing the top Via of a response keeps the rest of a multi-value line")
    func removeTopVia() throws {
        var m = try SIPMessage(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP p1;branch=z9hG4bK1, SIP/2.0/UDP ua;branch=z9hG4bK2\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>;tag=2\r\nCall-ID: c\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n")
        #expect(m.removeFirstValue(.via).map { String(decoding: $0, as: UTF8.self) } == "SIP/2.0/UDP p1;branch=z9hG4bK1")
        let out = try SIPMessage(bytes: m.serialized())
        #expect(try out.vias().map(\.host) == ["ua"])
        #expect(m.removeFirstValue(.via) != nil)
        #expect(m.viaCount == 0)
    }

    @Test("16.6 step 3: Max-Forwards 0 cannot be decremented (483)")
    func maxForwardsZero() throws {
        var m = try SIPMessage(Sample.invite.replacingOccurrences(of: "Max-Forwards: 70", with: "Max-Forwards: 0"))
        #expect(throws: SIPParseError(status: 483, reason: "Too Many Hops", header: "Max-Forwards")) { try m.decrementMaxForwards() }
    }

    @Test("setting the body updates Content-Length and Content-Type")
    func setBody() throws {
        var m = try SIPMessage(Sample.invite)
        m.setBody(Array("v=0\r\n".utf8), contentType: "application/sdp")
        let out = try SIPMessage(bytes: m.serialized())
        #expect(out.contentLength == 5)
        #expect(out.values(named: "Content-Length") == ["5"])
        m.setBody([])
        let empty = try SIPMessage(bytes: m.serialized())
        #expect(empty.body.isEmpty)
        #expect(empty.fields(.contentType).isEmpty)
    }

    @Test("8.2.6.2: a response copies Via, From, To (with tag), Call-ID and CSeq")
    func makeResponse() throws {
        let request = try SIPMessage(Sample.invite)
        let response = request.makeResponse(status: 400, reason: "Bad Request\r\nX: injected", toTag: "sb1")
        try response.validate()
        #expect(response.statusCode == 400)
        #expect(response.reasonPhrase == "Bad Request  X: injected")
        #expect(try response.to().tag == "sb1")
        #expect(try response.callID() == request.callID())
        #expect(try response.topVia().branch == "z9hG4bK776asdhds")
    }

    @Test("18.2.1 / 16.6 step 8: a kept top Via follows every edit of the Via lines")
    func cachedTopViaFollowsEdits() throws {
        var m = try SIPMessage(Sample.invite)
        #expect(try m.cacheTopVia().host == "192.0.2.101")
        m.prependHeader("Via", value: "SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bKsb1")
        #expect(try m.topVia().host == "198.51.100.1")
        #expect(try m.cacheTopVia().branch == "z9hG4bKsb1")
        m.removeFirstValue(.via)
        #expect(try m.topVia().host == "192.0.2.101")
        try m.cacheTopVia()
        #expect(m.removeHeaders("Via") == 1)
        #expect(throws: SIPParseError.self) { try m.topVia() }
    }
}
