import Foundation
import Testing

@testable import SIPCore

@Suite("RFC 3261 8.2.6: responses built from a request")
struct SIPMessageResponseTests {
    /// A REGISTER in the form phones send: compact Via and Call-ID, two Via
    /// lines, a folded From with a UTF-8 display name, no To tag.
    static let register = Sample.crlf([
        "REGISTER sip:switchboard.example.net SIP/2.0",
        "v: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bKnashds7 , SIP/2.0/TCP 198.51.100.1;branch=z9hG4bKp1",
        "Via:   SIP/2.0/UDP 203.0.113.9:5062;branch=z9hG4bKlast  ",
        "Max-Forwards: 70",
        "To: Bob <sip:bob@switchboard.example.net>",
        "From: \"Jösé\"\r\n <sip:bob@switchboard.example.net>;tag=456248",
        "i: 843817637684230@998sdasdh09",
        "CSeq: 1826 REGISTER",
        "Contact: <sip:bob@192.0.2.7>",
        "Expires: 7200",
        "Content-Length: 0",
    ])

    static let challenge = "Digest realm=\"example\", nonce=\"bm9uY2U\", algorithm=MD5, qop=\"auth\""

    /// The text the previous implementation rendered and parsed, for byte comparison.
    static func renderedAsText(_ m: SIPMessage, status: Int, reason: String, toTag: String?, extra: [(String, String)]) -> [UInt8] {
        let phrase = String(reason.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        var text = "SIP/2.0 \(status) \(phrase)\r\n"
        for f in m.headerFields where f.name == .via || f.name == .from || f.name == .callID || f.name == .cseq {
            text += "\(f.name.canonicalName): \(m.value(of: f))\r\n"
        }
        if let to = m.firstField(.to) {
            var v = m.value(of: to)
            if let toTag, (try? m.to().tag) == nil { v += ";tag=\(toTag)" }
            text += "To: \(v)\r\n"
        }
        for (n, v) in extra { text += "\(n): \(v)\r\n" }
        text += "Content-Length: 0\r\n\r\n"
        return Array(text.utf8)
    }

    /// Every part of the index equals what parsing the serialization gives.
    static func expectSameAsParsed(_ built: SIPMessage) throws {
        let parsed = try SIPMessage(bytes: built.serialized())
        #expect(built.storage == parsed.storage)
        #expect(built.isRequest == parsed.isRequest)
        #expect(built.startA == parsed.startA)
        #expect(built.startB == parsed.startB)
        #expect(built.startC == parsed.startC)
        #expect(built.startLineRange == parsed.startLineRange)
        #expect(built.statusCode == parsed.statusCode)
        #expect(built.headerFields == parsed.headerFields)
        #expect(built.bodyRange == parsed.bodyRange)
        #expect(built.messageRange == parsed.messageRange)
        #expect(built.trailingBytes == parsed.trailingBytes)
        #expect(!built.isModified)
    }

    @Test(
        "8.2.6.2: a response is the message that parsing its bytes gives, byte-identical to the text rendering",
        arguments: [
            (401, "Unauthorized", "sbr-1", [("WWW-Authenticate", challenge), ("WWW-Authenticate", challenge)]),
            (200, "OK", "sbr-2", [("Contact", "<sip:bob@192.0.2.7>;expires=3600"), ("Flow-Timer", "120")]),
            (100, "Trying", nil, []),
            (423, "Interval Too Brief", "t", [("Min-Expires", "60")]),
            (400, "Bad\tRequest\u{7F}", "t", [("X-Empty", ""), ("X-Spaces", "  padded  ")]),
            (603, "", nil, [("Reason", "SIP;cause=603;text=\"Déclinée\"")]),
        ] as [(Int, String, String?, [(String, String)])])
    func roundTrip(status: Int, reason: String, toTag: String?, extra: [(String, String)]) throws {
        for text in [Self.register, Sample.invite] {
            let request = try SIPMessage(text)
            let response = request.makeResponse(status: status, reason: reason, toTag: toTag, extraHeaders: extra)
            #expect(response.serialized() == Self.renderedAsText(request, status: status, reason: reason, toTag: toTag, extra: extra))
            try Self.expectSameAsParsed(response)
            try response.validate()
            #expect(response.statusCode == status)
        }
    }

    @Test(
        "8.2.6.2: the To tag is added exactly when the request's To has none (a tag without a value is none)",
        arguments: [
            "To: Bob <sip:bob@switchboard.example.net>", "To: <sip:bob@switchboard.example.net>;tag=a1",
            "To: <sip:bob@switchboard.example.net>;TAG=a1", "To: <sip:bob@switchboard.example.net>;tag",
            "To: <sip:bob@switchboard.example.net>;tag;tag=a2", "To: sip:bob@switchboard.example.net;tag=a3",
            "To: <sip:bob@switchboard.example.net;tag=in-uri>",
        ])
    func toTag(_ toLine: String) throws {
        let text = Self.register.replacingOccurrences(of: "To: Bob <sip:bob@switchboard.example.net>", with: toLine)
        let request = try SIPMessage(text)
        let response = request.makeResponse(status: 200, reason: "OK", toTag: "sb-9")
        #expect(response.serialized() == Self.renderedAsText(request, status: 200, reason: "OK", toTag: "sb-9", extra: []))
        try Self.expectSameAsParsed(response)
    }

    @Test("8.2.6.2: Via values and their order are copied; compact names become long ones; a To tag is kept")
    func copiedFields() throws {
        let request = try SIPMessage(Self.register)
        let response = request.makeResponse(status: 200, reason: "OK", toTag: "x")
        #expect(try response.vias().map(\.branch) == ["z9hG4bKnashds7", "z9hG4bKp1", "z9hG4bKlast"])
        #expect(try response.callID() == "843817637684230@998sdasdh09")
        #expect(try response.to().tag == "x")
        #expect(response.headerFields.map(\.name) == [.via, .via, .from, .callID, .cseq, .to, .contentLength])
        #expect(try response.from().tag == "456248")
        let tagged = try SIPMessage(bytes: response.serialized())
        let again = tagged.makeResponse(status: 200, reason: "OK", toTag: "other")
        #expect(try again.to().tag == "x")
    }

    @Test("7.3.1: an added value that folds over two lines is indexed as the parser reads it")
    func foldedExtraValue() throws {
        let request = try SIPMessage(Self.register)
        let extra = [("Warning", "399 example \"first\r\n  second\"")]
        let response = request.makeResponse(status: 200, reason: "OK", extraHeaders: extra)
        #expect(response.serialized() == Self.renderedAsText(request, status: 200, reason: "OK", toTag: nil, extra: extra))
        try Self.expectSameAsParsed(response)
        #expect(response.fields(named: "Warning").map { response.value(of: $0) } == ["399 example \"first second\""])
    }
}
