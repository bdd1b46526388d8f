import SIPCore
import Testing
@testable import Media

@Suite("SDP codec filter")
struct SDPCodecFilterTests {
    /// RFC 4317 2.1, Alice's offer.
    static let offer21 = sdpText([
        "v=0", "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com", "s=",
        "c=IN IP4 host.atlanta.example.com", "t=0 0",
        "m=audio 49170 RTP/AVP 0 8 97", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000", "a=rtpmap:97 iLBC/8000",
        "m=video 51372 RTP/AVP 31 32", "a=rtpmap:31 H261/90000", "a=rtpmap:32 MPV/90000",
    ])

    @Test("RFC 4317 2.1: audio narrowed to the allowed codecs, a stream with none rejected with port 0")
    func audioAndVideo() throws {
        var description = try SessionDescription(parsing: Self.offer21)
        let rejected = try SDPCodecFilter(allowed: ["pcmu", "PCMA"]).apply(to: &description)
        #expect(rejected == [1])
        #expect(description.media[0].formats == ["0", "8"])
        #expect(description.media[0].rtpMaps.map(\.encodingName) == ["PCMU", "PCMA"])
        #expect(description.media[1].port == 0)
        #expect(description.media[1].formats == ["31"])
        #expect(description.media.count == 2)
    }

    @Test("RFC 4733 7.1.1: telephone-event is kept with its fmtp, unknown and disallowed payloads go")
    func telephoneEventKept() throws {
        var description = try SessionDescription(parsing: sdpText([
            "v=0", "o=- 1 1 IN IP4 198.51.100.1", "s=-", "c=IN IP4 198.51.100.1", "t=0 0",
            "m=audio 4000 RTP/AVP 18 0 96 101", "a=rtpmap:18 G729/8000", "a=fmtp:18 annexb=no",
            "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=ptime:20",
        ]))
        try SDPCodecFilter(allowed: ["PCMU"]).apply(to: &description)
        #expect(description.media[0].formats == ["0", "101"])
        #expect(description.media[0].fmtp(for: 101)?.raw == "0-16")
        #expect(description.media[0].fmtp(for: 18) == nil)
        #expect(description.media[0].ptime == 20)
    }

    @Test("RFC 3264 6: no common codec is a typed result the caller answers with 488")
    func noCommonCodec() throws {
        var description = try SessionDescription(parsing: sdpText([
            "v=0", "o=- 1 1 IN IP4 198.51.100.1", "s=-", "c=IN IP4 198.51.100.1", "t=0 0",
            "m=audio 4000 RTP/AVP 0 101", "a=rtpmap:101 telephone-event/8000",
        ]))
        #expect(throws: SDPRewriteError.noCommonCodec) {
            try SDPCodecFilter(allowed: ["opus"]).apply(to: &description)
        }
        #expect(SDPRewriteError.noCommonCodec.sipStatus == 488)
    }

    @Test("RFC 3264 6: port 0 and non-RTP streams are left alone")
    func leavesOthers() throws {
        var description = try SessionDescription(parsing: sdpText([
            "v=0", "o=- 1 1 IN IP4 198.51.100.1", "s=-", "c=IN IP4 198.51.100.1", "t=0 0",
            "m=audio 4000 RTP/AVP 0", "m=audio 0 RTP/AVP 18", "m=image 4002 udptl t38",
        ]))
        let rejected = try SDPCodecFilter(allowed: ["PCMU"]).apply(to: &description)
        #expect(rejected.isEmpty)
        #expect(description.media[1].formats == ["18"])
        #expect(description.media[2].formats == ["t38"])
    }
}
