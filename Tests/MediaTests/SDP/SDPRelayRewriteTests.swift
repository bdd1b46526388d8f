import SIPCore
import Testing
@testable import Media

@Suite("SDP rewrite for the relay")
struct SDPRelayRewriteTests {
    /// RFC 3264 10.1, Alice's offer.
    static let offer101 = sdpText([
        "v=0", "o=alice 2890844526 2890844526 IN IP4 host.anywhere.com", "s=", "c=IN IP4 host.anywhere.com", "t=0 0",
        "m=audio 49170 RTP/AVP 0", "a=rtpmap:0 PCMU/8000",
        "m=video 51372 RTP/AVP 31", "a=rtpmap:31 H261/90000",
        "m=video 53000 RTP/AVP 32", "a=rtpmap:32 MPV/90000",
    ])
    /// RFC 3264 10.1, Bob's answer rejecting the first video stream.
    static let answer101 = sdpText([
        "v=0", "o=bob 2890844730 2890844730 IN IP4 host.example.com", "s=", "c=IN IP4 host.example.com", "t=0 0",
        "m=audio 49920 RTP/AVP 0", "a=rtpmap:0 PCMU/8000",
        "m=video 0 RTP/AVP 31",
        "m=video 53000 RTP/AVP 32", "a=rtpmap:32 MPV/90000",
    ])

    @Test("RFC 3264 10.1: offer gets the relay address and ports, m-lines keep number, order and formats")
    func basicOffer() throws {
        var description = try SessionDescription(parsing: Self.offer101)
        let rewrite = SDPRelayRewrite(address: "192.0.2.10")
        try rewrite.apply(to: &description, ports: [0: .init(rtp: 30000), 1: .init(rtp: 30002), 2: .init(rtp: 30004)])
        let text = description.description
        #expect(text == sdpText([
            "v=0", "o=alice 2890844526 2890844526 IN IP4 host.anywhere.com", "s=", "c=IN IP4 192.0.2.10", "t=0 0",
            "m=audio 30000 RTP/AVP 0", "a=rtpmap:0 PCMU/8000",
            "m=video 30002 RTP/AVP 31", "a=rtpmap:31 H261/90000",
            "m=video 30004 RTP/AVP 32", "a=rtpmap:32 MPV/90000",
        ]))
    }

    @Test("RFC 3264 6 and 10.1: a rejected stream keeps port 0 and needs no relay ports")
    func portZeroStaysZero() throws {
        var description = try SessionDescription(parsing: Self.answer101)
        try SDPRelayRewrite(address: "192.0.2.10").apply(to: &description, ports: [0: .init(rtp: 30010), 2: .init(rtp: 30012)])
        #expect(description.media.map(\.port) == [30010, 0, 30012])
        #expect(description.media[1].formats == ["31"])
        #expect(description.connection?.address == "192.0.2.10")
    }

    @Test("RFC 3264 10.1: an active m-line without relay ports is an error, not a silent pass-through")
    func missingPorts() throws {
        var description = try SessionDescription(parsing: Self.offer101)
        #expect(throws: SDPRewriteError.missingRelayPorts(mediaIndex: 2)) {
            try SDPRelayRewrite(address: "192.0.2.10").apply(to: &description, ports: [0: .init(rtp: 30000), 1: .init(rtp: 30002)])
        }
        #expect(SDPRewriteError.missingRelayPorts(mediaIndex: 2).sipStatus == 500)
    }

    @Test("RFC 3264 10.1: the added recvonly event stream keeps its direction and payload")
    func addedEventStream() throws {
        var description = try SessionDescription(parsing: sdpText([
            "v=0", "o=bob 2890844730 2890844731 IN IP4 host.example.com", "s=", "c=IN IP4 host.example.com", "t=0 0",
            "m=audio 65422 RTP/AVP 0", "a=rtpmap:0 PCMU/8000",
            "m=video 0 RTP/AVP 31",
            "m=video 53000 RTP/AVP 32", "a=rtpmap:32 MPV/90000",
            "m=audio 51434 RTP/AVP 110", "a=rtpmap:110 telephone-events/8000", "a=recvonly",
        ]))
        try SDPRelayRewrite(address: "192.0.2.10").apply(
            to: &description, ports: [0: .init(rtp: 30000), 2: .init(rtp: 30002), 3: .init(rtp: 30004)])
        #expect(description.media.count == 4)
        #expect(description.media[3].port == 30004)
        #expect(description.media[3].declaredDirection == .recvonly)
        #expect(description.media[3].formats == ["110"])
    }

    @Test("RFC 8866 5.7: media-level c= lines are rewritten, IPv6 relay address gets IP6")
    func mediaLevelConnectionIPv6() throws {
        var description = try SessionDescription(parsing: sdpText([
            "v=0", "o=- 1 1 IN IP4 198.51.100.1", "s=-", "t=0 0",
            "m=audio 4000 RTP/AVP 0", "c=IN IP4 198.51.100.1",
            "m=audio 4002 RTP/AVP 8", "c=IN IP4 198.51.100.2",
        ]))
        try SDPRelayRewrite(address: "2001:db8::10").apply(to: &description, ports: [0: .init(rtp: 30000), 1: .init(rtp: 30002)])
        #expect(description.connection == nil)
        #expect(description.media.map { $0.connections.map(\.address) } == [["2001:db8::10"], ["2001:db8::10"]])
        #expect(description.media[0].connections[0].addrType == "IP6")
    }

    @Test("RFC 4317 3.1: hold with a=sendonly passes through the relay")
    func holdSendonly() throws {
        var description = try SessionDescription(parsing: sdpText([
            "v=0", "o=alice 2890844526 2890844527 IN IP4 host.atlanta.example.com", "s=",
            "c=IN IP4 host.atlanta.example.com", "t=0 0",
            "m=audio 49170 RTP/AVP 0 97", "a=rtpmap:0 PCMU/8000", "a=rtpmap:97 iLBC/8000", "a=sendonly",
        ]))
        try SDPRelayRewrite(address: "192.0.2.10").apply(to: &description, ports: [0: .init(rtp: 30000)])
        #expect(description.media[0].declaredDirection == .sendonly)
        #expect(description.media[0].isHold(in: description))
        #expect(description.connection?.address == "192.0.2.10")
    }

    @Test("RFC 3264 8.4: old-style hold c=0.0.0.0 stays 0.0.0.0, a=inactive passes")
    func holdZeroAddress() throws {
        var description = try SessionDescription(parsing: sdpText([
            "v=0", "o=bob 2808844564 2808844565 IN IP4 host.biloxi.example.com", "s=", "c=IN IP4 0.0.0.0", "t=0 0",
            "m=audio 49172 RTP/AVP 0", "a=rtpmap:0 PCMU/8000",
            "m=audio 49174 RTP/AVP 0", "c=IN IP4 198.51.100.7", "a=inactive",
        ]))
        try SDPRelayRewrite(address: "192.0.2.10").apply(to: &description, ports: [0: .init(rtp: 30000), 1: .init(rtp: 30002)])
        #expect(description.connection?.address == "0.0.0.0")
        #expect(description.media[0].isHold(in: description))
        #expect(description.media[0].port == 30000)
        #expect(description.media[1].connections.map(\.address) == ["192.0.2.10"])
        #expect(description.media[1].declaredDirection == .inactive)
    }

    @Test("RFC 8839 5: ICE attributes removed at both levels on a leg without ICE; a=rtcp follows the relay")
    func iceRemoved() throws {
        let text = sdpText([
            "v=0", "o=- 7 2 IN IP4 203.0.113.5", "s=-", "t=0 0", "a=ice-options:trickle", "a=ice-lite",
            "m=audio 50000 RTP/AVP 0 101", "c=IN IP4 203.0.113.5", "a=rtcp:50001 IN IP4 203.0.113.5",
            "a=ice-ufrag:8hhY", "a=ice-pwd:asd88fgpdd777uzjYhagZg",
            "a=candidate:1 1 UDP 2130706431 10.0.1.1 8998 typ host",
            "a=candidate:2 1 UDP 1694498815 203.0.113.5 50000 typ srflx raddr 10.0.1.1 rport 8998",
            "a=end-of-candidates", "a=rtcp-mux", "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000",
            "a=fmtp:101 0-16", "a=sendrecv",
        ])
        var plain = try SessionDescription(parsing: text)
        try SDPRelayRewrite(address: "192.0.2.10").apply(to: &plain, ports: [0: .init(rtp: 30000)])
        #expect(plain.description == sdpText([
            "v=0", "o=- 7 2 IN IP4 203.0.113.5", "s=-", "t=0 0",
            "m=audio 30000 RTP/AVP 0 101", "c=IN IP4 192.0.2.10", "a=rtcp:30001 IN IP4 192.0.2.10",
            "a=rtpmap:0 PCMU/8000", "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-16", "a=sendrecv",
        ]))

        var muxed = try SessionDescription(parsing: text)
        try SDPRelayRewrite(address: "192.0.2.10", rtcpMux: true).apply(to: &muxed, ports: [0: .init(rtp: 30000)])
        #expect(muxed.media[0].isRTCPMuxed)
        #expect(muxed.media[0].rtcp?.port == 30000)
        #expect(!muxed.media[0].hasAttribute(named: "candidate"))

        var ice = try SessionDescription(parsing: text)
        try SDPRelayRewrite(address: "192.0.2.10", keepICE: true, rtcpMux: true).apply(to: &ice, ports: [0: .init(rtp: 30000)])
        #expect(ice.media[0].attributes(named: "candidate").count == 2)
        #expect(ice.hasAttribute(named: "ice-options"))
    }

    @Test("RFC 3605 2.1: where to send RTCP is read from a=rtcp, or the RTP port under rtcp-mux")
    func peerFromSDP() throws {
        let description = try SessionDescription(parsing: sdpText([
            "v=0", "o=- 1 1 IN IP4 198.51.100.1", "s=-", "c=IN IP4 198.51.100.1", "t=0 0",
            "m=audio 4000 RTP/AVP 0", "a=rtcp:5005",
            "m=audio 4002 RTP/AVP 0", "a=rtcp:5007 IN IP4 198.51.100.9",
            "m=audio 4004 RTP/AVP 0", "a=rtcp-mux",
            "m=audio 4006 RTP/AVP 0",
            "m=audio 0 RTP/AVP 0",
        ]))
        let peers = description.media.map { MediaPeer(media: $0, in: description) }
        #expect(peers[0]?.rtcp == SocketAddress(ip: "198.51.100.1", port: 5005))
        #expect(peers[1]?.rtcp == SocketAddress(ip: "198.51.100.9", port: 5007))
        #expect(peers[2]?.rtcp == SocketAddress(ip: "198.51.100.1", port: 4004))
        #expect(peers[3]?.rtcp == SocketAddress(ip: "198.51.100.1", port: 4007))
        #expect(peers[4] == nil)
    }
}
