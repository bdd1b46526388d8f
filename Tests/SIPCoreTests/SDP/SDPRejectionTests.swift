import Testing
@testable import SIPCore

@Suite("SDP rejections")
struct SDPRejectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var lines: [String]
        var kind: SDPParseError.Kind
        var line: Int
        var type: Character?
        var testDescription: String { name }
    }

    static let head = ["v=0", "o=- 1 1 IN IP4 192.0.2.1", "s=-", "c=IN IP4 192.0.2.1", "t=0 0"]

    static let cases: [Case] = [
        Case(name: "5.1 empty body", lines: [], kind: .missingVersion, line: 1, type: nil),
        Case(name: "5.1 first line not v=", lines: ["o=- 1 1 IN IP4 192.0.2.1", "v=0"], kind: .missingVersion, line: 1, type: "o"),
        Case(name: "5.1 version other than 0", lines: ["v=1"] + head.dropFirst(), kind: .unsupportedVersion, line: 1, type: "v"),
        Case(name: "5.1 version not a number", lines: ["v=x"] + head.dropFirst(), kind: .unsupportedVersion, line: 1, type: "v"),
        Case(name: "5.1 second v=", lines: head + ["v=0"], kind: .duplicateLine, line: 6, type: "v"),
        Case(name: "5.2 missing o=", lines: ["v=0", "s=-", "t=0 0"], kind: .missingOrigin, line: 3, type: nil),
        Case(name: "5.2 malformed o=", lines: ["v=0", "o=- 1 x IN IP4 192.0.2.1", "s=-", "t=0 0"], kind: .invalidOrigin, line: 2, type: "o"),
        Case(name: "5.2 o= with five fields", lines: ["v=0", "o=- 1 1 IN IP4", "s=-", "t=0 0"], kind: .invalidOrigin, line: 2, type: "o"),
        Case(name: "5.2 two o= lines", lines: ["v=0", "o=- 1 1 IN IP4 a", "o=- 1 1 IN IP4 a", "s=-", "t=0 0"], kind: .duplicateLine, line: 3, type: "o"),
        Case(
            name: "5.3 missing s= before m=", lines: ["v=0", "o=- 1 1 IN IP4 a", "c=IN IP4 a", "t=0 0", "m=audio 4000 RTP/AVP 0"],
            kind: .missingSessionName, line: 5, type: "m"),
        Case(name: "5.9 missing t=", lines: ["v=0", "o=- 1 1 IN IP4 a", "s=-"], kind: .missingTiming, line: 3, type: nil),
        Case(name: "5.9 malformed t=", lines: ["v=0", "o=- 1 1 IN IP4 a", "s=-", "t=0"], kind: .invalidTiming, line: 4, type: "t"),
        Case(name: "5.10 r= before t=", lines: ["v=0", "o=- 1 1 IN IP4 a", "s=-", "r=7d 1h 0", "t=0 0"], kind: .misplacedLine, line: 4, type: "r"),
        Case(name: "5 line not of form x=", lines: head + ["hello"], kind: .malformedLine, line: 6, type: nil),
        Case(name: "5 upper-case type letter", lines: head + ["A=sendrecv"], kind: .malformedLine, line: 6, type: nil),
        Case(name: "5 unknown type letter", lines: head + ["y=1"], kind: .unknownLineType, line: 6, type: "y"),
        Case(name: "5 session-level line in media section", lines: head + ["m=audio 4000 RTP/AVP 0", "s=again"], kind: .misplacedLine, line: 7, type: "s"),
        Case(name: "5.7 malformed c=", lines: ["v=0", "o=- 1 1 IN IP4 a", "s=-", "c=IN IP4", "t=0 0"], kind: .invalidConnection, line: 4, type: "c"),
        Case(name: "5.7 bad TTL", lines: ["v=0", "o=- 1 1 IN IP4 a", "s=-", "c=IN IP4 233.252.0.1/300", "t=0 0"], kind: .invalidConnection, line: 4, type: "c"),
        Case(name: "5.7 two session c=", lines: head + ["c=IN IP4 192.0.2.2"], kind: .duplicateLine, line: 6, type: "c"),
        Case(
            name: "5.7 media without c= and no session c=",
            lines: ["v=0", "o=- 1 1 IN IP4 a", "s=-", "t=0 0", "m=audio 4000 RTP/AVP 0", "c=IN IP4 a", "m=video 4002 RTP/AVP 31", "a=sendrecv"],
            kind: .missingConnection, line: 7, type: "m"),
        Case(name: "5.8 malformed b=", lines: head + ["b=AS:fast"], kind: .invalidBandwidth, line: 6, type: "b"),
        Case(name: "5.13 attribute without name", lines: head + ["a=:x"], kind: .invalidAttribute, line: 6, type: "a"),
        Case(name: "5.13 empty attribute", lines: head + ["a="], kind: .invalidAttribute, line: 6, type: "a"),
        Case(name: "5.14 port above 65535", lines: head + ["m=audio 70000 RTP/AVP 0"], kind: .invalidPort, line: 6, type: "m"),
        Case(name: "5.14 port not a number", lines: head + ["m=audio port RTP/AVP 0"], kind: .invalidPort, line: 6, type: "m"),
        Case(name: "5.14 port count zero", lines: head + ["m=audio 4000/0 RTP/AVP 0"], kind: .invalidPort, line: 6, type: "m"),
        Case(name: "5.14 payload type above 127", lines: head + ["m=audio 4000 RTP/AVP 0 128"], kind: .invalidPayloadType, line: 6, type: "m"),
        Case(name: "5.14 payload type not a number", lines: head + ["m=audio 4000 RTP/SAVP PCMU"], kind: .invalidPayloadType, line: 6, type: "m"),
        Case(name: "5.14 m= without formats", lines: head + ["m=audio 4000 RTP/AVP"], kind: .missingFormats, line: 6, type: "m"),
        Case(name: "5.14 m= with two fields", lines: head + ["m=audio 4000"], kind: .invalidMedia, line: 6, type: "m"),
        Case(name: "5.14 second i= in a media section", lines: head + ["m=audio 4000 RTP/AVP 0", "i=a", "i=b"], kind: .duplicateLine, line: 8, type: "i"),
    ]

    @Test("RFC 8866: malformed SDP is rejected with line, type and 400", arguments: cases)
    func rejected(_ testCase: Case) {
        let text = sdp(lines: testCase.lines)
        do {
            _ = try SessionDescription(parsing: text)
            Issue.record("accepted: \(testCase.name)")
        } catch {
            #expect(error.kind == testCase.kind)
            #expect(error.line == testCase.line)
            #expect(error.lineType == testCase.type)
            #expect(error.sipStatus == 400)
            let reason = error.reason
            #expect(!reason.contains("\r") && !reason.contains("\n"))
            #expect(reason.unicodeScalars.allSatisfy { $0.isASCII })
        }
    }

    @Test("RFC 8866 5: line numbers count LF-only lines and blank lines")
    func lineNumbersWithLF() {
        let text = "v=0\no=- 1 1 IN IP4 a\n\ns=-\nc=IN IP4 a\nt=0 0\nm=audio 4000 RTP/AVP 200\n"
        #expect(throws: SDPParseError.self) { try SessionDescription(parsing: text) }
        do {
            _ = try SessionDescription(parsing: text)
        } catch {
            #expect(error.line == 7)
            #expect(error.reason == "Bad SDP line 7 (m=): RTP payload type is not a number in 0-127")
        }
    }

    @Test("Limits: body over maxBytes is rejected before parsing")
    func tooLarge() {
        let text = sdp(lines: Self.head + ["m=audio 4000 RTP/AVP 0"])
        do {
            _ = try SessionDescription(parsing: text, limits: SDPParseLimits(maxBytes: 64))
            Issue.record("accepted an over-long body")
        } catch {
            #expect(error.kind == .tooLarge)
            #expect(error.line == 0)
            #expect(error.lineType == nil)
            #expect(error.sipStatus == 400)
        }
        #expect(throws: Never.self) {
            try SessionDescription(parsing: text, limits: SDPParseLimits(maxBytes: text.utf8.count))
        }
    }

    @Test("Limits: too many lines and too many media sections")
    func tooManyLinesAndMedia() {
        let lines = Self.head + Array(repeating: "m=audio 4000 RTP/AVP 0", count: 5)
        do {
            _ = try SessionDescription(parsing: sdp(lines: lines), limits: SDPParseLimits(maxLines: 8))
            Issue.record("accepted too many lines")
        } catch {
            #expect(error.kind == .tooManyLines)
            #expect(error.line == 9)
        }
        do {
            _ = try SessionDescription(parsing: sdp(lines: lines), limits: SDPParseLimits(maxMediaDescriptions: 4))
            Issue.record("accepted too many media sections")
        } catch {
            #expect(error.kind == .tooManyMediaDescriptions)
            #expect(error.line == 10)
            #expect(error.lineType == "m")
        }
    }
}
