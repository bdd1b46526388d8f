import Testing
@testable import SIPCore

@Suite("SDP WebRTC")
struct SDPWebRTCTests {
    /// A browser offer: BUNDLE, ICE, DTLS fingerprint, many attributes, audio and video.
    static let offer = sdp(
        "v=0",
        "o=- 8436422327585670287 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE 0 1",
        "a=extmap-allow-mixed",
        "a=msid-semantic: WMS a7299aa1-1469-48ed-b99f-30e5ebc5fd14",
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 110 126",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=candidate:2958823651 1 udp 2122260224 192.0.2.33 40007 typ host generation 0",
        "a=candidate:716810591 1 udp 2122262784 2001:db8::33 40007 typ host generation 0",
        "a=ice-ufrag:GVWP",
        "a=ice-pwd:GoQbqNzclssPK7hZfTHBAZK3",
        "a=ice-options:trickle",
        "a=fingerprint:sha-256 F3:A4:D1:09:55:4A:73:84:21:4C:46:56:E1:05:E7:8B:47:45:5B:A0:0E:3F:30:14:D8:5F:36:95:A2:06:AA:48",
        "a=setup:actpass",
        "a=mid:0",
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level",
        "a=sendrecv",
        "a=msid:a7299aa1-1469-48ed-b99f-30e5ebc5fd14 9d4611fa-fe03-4cad-81f1-63e4f764f358",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=rtcp-fb:111 transport-cc",
        "a=fmtp:111 minptime=10;useinbandfec=1",
        "a=rtpmap:63 red/48000/2",
        "a=fmtp:63 111/111",
        "a=rtpmap:9 G722/8000",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:110 telephone-event/48000",
        "a=rtpmap:126 telephone-event/8000",
        "a=ssrc:2607947206 cname:z8aoN2l/L7oiSqrJ",
        "m=video 9 UDP/TLS/RTP/SAVPF 96 97",
        "c=IN IP4 0.0.0.0",
        "a=rtcp:9 IN IP4 0.0.0.0",
        "a=ice-ufrag:GVWP",
        "a=ice-pwd:GoQbqNzclssPK7hZfTHBAZK3",
        "a=setup:actpass",
        "a=mid:1",
        "a=recvonly",
        "a=rtcp-mux",
        "a=rtcp-rsize",
        "a=rtpmap:96 VP8/90000",
        "a=rtcp-fb:96 goog-remb",
        "a=rtcp-fb:96 nack pli",
        "a=rtpmap:97 rtx/90000",
        "a=fmtp:97 apt=96"
    )

    @Test("RFC 8866 5: WebRTC offer round-trips byte-identical")
    func roundTrip() throws {
        let description = try SessionDescription(parsing: Self.offer)
        #expect(description.bytes == Array(Self.offer.utf8))
    }

    @Test("RFC 8866 6: WebRTC offer attributes are reachable, unknown ones verbatim")
    func attributes() throws {
        let description = try SessionDescription(parsing: Self.offer)
        #expect(description.connection == nil)
        #expect(description.attribute(named: "group")?.value == "BUNDLE 0 1")
        #expect(description.attribute(named: "msid-semantic")?.value == " WMS a7299aa1-1469-48ed-b99f-30e5ebc5fd14")
        let audio = description.media[0]
        #expect(audio.proto == "UDP/TLS/RTP/SAVPF")
        #expect(audio.isRTP && audio.isSecureRTP && audio.usesDTLS)
        #expect(audio.cryptos.isEmpty)
        #expect(audio.mid == "0")
        #expect(audio.isRTCPMuxed)
        #expect(audio.rtcp == SDPRTCPAttribute(port: 9, connection: SDPConnection(address: "0.0.0.0")))
        #expect(audio.attributes(named: "candidate").count == 2)
        #expect(audio.fmtp(for: 63)?.parameters == [.init(name: "111/111")])
        #expect(audio.rtpMaps.count == 7)
        #expect(audio.effectiveConnection(in: description)?.isUnspecifiedAddress == true)
        #expect(audio.attribute(named: "fingerprint")?.value?.hasPrefix("sha-256 F3:A4") == true)
        let video = description.media[1]
        #expect(video.direction(in: description) == .recvonly)
        #expect(video.fmtp(for: 97)?["apt"] == "96")
        #expect(video.codec(for: 96)?.encodingName == "VP8")
    }

    @Test("RFC 8445 5.1: a relay strips ICE and rewrites the address; untouched lines stay verbatim")
    func stripICE() throws {
        var description = try SessionDescription(parsing: Self.offer)
        for index in description.media.indices {
            description.media[index].removeAttributes { ["candidate", "ice-ufrag", "ice-pwd", "ice-options"].contains($0.name) }
            description.media[index].setConnectionAddress("192.0.2.200")
            description.media[index].setAttribute("rtcp", value: SDPRTCPAttribute(port: 30001).attributeValue)
        }
        let text = description.description
        #expect(!text.contains("candidate"))
        #expect(!text.contains("ice-"))
        #expect(text.contains("m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 110 126\r\nc=IN IP4 192.0.2.200\r\na=rtcp:30001\r\na=fingerprint:"))
        let reparsed = try SessionDescription(parsing: text)
        #expect(reparsed.media[1].rtcp?.port == 30001)
        #expect(reparsed == description)
    }
}
