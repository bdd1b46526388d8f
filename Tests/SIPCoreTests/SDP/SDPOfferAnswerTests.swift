import Testing
@testable import SIPCore

@Suite("SDP offer/answer (RFC 3264)")
struct SDPOfferAnswerTests {
    static let base = [
        "v=0", "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com", "s=",
        "c=IN IP4 host.atlanta.example.com", "t=0 0",
    ]

    @Test("RFC 3264 8.4: hold with a=sendonly")
    func holdSendonly() throws {
        let text = sdp(lines: Self.base + ["m=audio 49170 RTP/AVP 0 97", "a=rtpmap:0 PCMU/8000", "a=sendonly"])
        let description = try SessionDescription(parsing: text)
        let audio = description.media[0]
        #expect(audio.declaredDirection == .sendonly)
        #expect(audio.direction(in: description) == .sendonly)
        #expect(audio.direction(in: description).reversed == .recvonly)
        #expect(audio.isHold(in: description))
        #expect(description.sessionName == "")
        #expect(description.description == text)
    }

    @Test("RFC 3264 8.4: RFC 2543 style hold with c=0.0.0.0")
    func holdOldStyle() throws {
        let text = sdp(
            "v=0", "o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com", "s=", "c=IN IP4 0.0.0.0", "t=0 0",
            "m=audio 49172 RTP/AVP 0", "a=rtpmap:0 PCMU/8000")
        let description = try SessionDescription(parsing: text)
        let audio = description.media[0]
        #expect(audio.direction(in: description) == .sendrecv)
        #expect(audio.effectiveConnection(in: description)?.isUnspecifiedAddress == true)
        #expect(audio.isHold(in: description))
        #expect(description.description == text)
    }

    @Test("RFC 3264 5.1: media-level direction overrides session level; default sendrecv")
    func directionPrecedence() throws {
        let text = sdp(lines: Self.base + [
            "a=inactive", "m=audio 49170 RTP/AVP 0", "a=recvonly", "m=video 51372 RTP/AVP 31",
        ])
        let description = try SessionDescription(parsing: text)
        #expect(description.direction == .inactive)
        #expect(description.media[0].direction(in: description) == .recvonly)
        #expect(!description.media[0].isHold(in: description))
        #expect(description.media[1].declaredDirection == nil)
        #expect(description.media[1].direction(in: description) == .inactive)
        #expect(description.media[1].isHold(in: description))

        let plain = try SessionDescription(parsing: sdp(lines: Self.base + ["m=audio 49170 RTP/AVP 0"]))
        #expect(plain.direction == .sendrecv)
        #expect(plain.media[0].direction(in: plain) == .sendrecv)
    }

    @Test("RFC 3264 6: a rejected stream (port 0) keeps its format")
    func rejectedStream() throws {
        let text = sdp(lines: Self.base + ["m=audio 49170 RTP/AVP 0", "m=video 0 RTP/AVP 31"])
        let description = try SessionDescription(parsing: text)
        #expect(description.media[1].port == 0)
        #expect(description.media[1].formats == ["31"])
        #expect(description.description == text)
    }
}
