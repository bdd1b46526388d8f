import Testing
@testable import Media

/// Real forwarding through the TC program on `lo`: each test attaches its own forwarder (its own
/// rule map), so parallel tests do not see each other's rules.
@Suite("Kernel forwarding of plain RTP", .enabled(if: kernelForwardingAvailable))
struct KernelRelayTests {
    static func forwarder() throws -> KernelForwarder {
        try KernelForwarder(interfaces: ["lo"], capacity: 64)
    }

    /// Latches both sides with one packet each way (relayed in user space); the rules follow.
    static func latchBothSides(_ h: RelayHarness) throws {
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 1), to: h.ports.a.rtp)
        #expect(h.phoneB.receive() != nil)
        h.phoneB.send(rtpPacket(ssrc: 0xB, sequence: 1), to: h.ports.b.rtp)
        #expect(h.phoneA.receive() != nil)
    }

    static func directions(_ h: RelayHarness) -> Int {
        let session = h.session
        return h.relay.sync { session.kernelForwardedDirections }
    }

    @Test("RFC 3550 / RFC 4961: a latched plain stream is relayed by the kernel both ways, payload intact, addresses rewritten as the relay would")
    func forwardsBothWays() async throws {
        let kernel = try Self.forwarder()
        let h = try RelayHarness(kernelForwarder: kernel)
        try Self.latchBothSides(h)
        #expect(Self.directions(h) == 2)
        #expect(kernel.ruleCount == 2)
        let before = h.statistics()
        #expect(before.aToB.kernelPackets == 0 && before.aToB.packets == 1)

        for sequence in UInt16(2)...21 {
            let a = rtpPacket(ssrc: 0xA, sequence: sequence, payload: 100 + Int(sequence))
            h.phoneA.send(a, to: h.ports.a.rtp)
            let atB = try #require(h.phoneB.receive())
            #expect(atB.bytes == a)
            #expect(atB.source == h.ports.b.rtp)

            let b = rtpPacket(ssrc: 0xB, sequence: sequence, payloadType: 8)
            h.phoneB.send(b, to: h.ports.b.rtp)
            let atA = try #require(h.phoneA.receive())
            #expect(atA.bytes == b)
            #expect(atA.source == h.ports.a.rtp)
        }

        let stats = h.statistics()
        // The kernel counted the 20 packets each way; user space relayed only the first.
        #expect(stats.aToB.kernelPackets == 20)
        #expect(stats.aToB.packets - stats.aToB.kernelPackets == 1)
        #expect(stats.aToB.kernelBytes == (2...21).reduce(0) { $0 + 12 + 100 + $1 })
        #expect(stats.bToA.kernelPackets == 20)
        #expect(stats.bToA.packets - stats.bToA.kernelPackets == 1)
        // The media timeout sees the kernel's packets as activity.
        #expect(stats.aToB.lastPacket! > before.aToB.lastPacket!)
        await h.close()
    }

    @Test("RFC 4961: beside a kernel rule, a stranger's packet still reaches user space and is dropped as before")
    func strangerStillDropped() async throws {
        let kernel = try Self.forwarder()
        let h = try RelayHarness(kernelForwarder: kernel)
        try Self.latchBothSides(h)
        for sequence in UInt16(2)...5 { h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: sequence), to: h.ports.a.rtp) }
        #expect(h.phoneB.drain() == 4)

        let attacker = try TestPhone()
        attacker.send(rtpPacket(ssrc: 0xBAD, sequence: 500), to: h.ports.a.rtp)
        #expect(h.phoneB.receive(within: 300) == nil)
        let stats = h.statistics()
        #expect(stats.aToB.dropped[.unlatchedSource] == 1)
        #expect(stats.latchedA == h.phoneA.address)
        #expect(Self.directions(h) == 2)
        await h.close()
    }

    @Test("RFC 4961 / RFC 3550 8.2: a NAT rebinding continuing the kernel-forwarded sequence moves the latch, and the rule with it")
    func rebindingMovesRule() async throws {
        let kernel = try Self.forwarder()
        let h = try RelayHarness(kernelForwarder: kernel)
        try Self.latchBothSides(h)
        // More packets than the latch's sequence window: only the kernel's last sequence number lets the rebinding through.
        for sequence in UInt16(2)...101 { h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: sequence), to: h.ports.a.rtp) }
        #expect(h.phoneB.drain() == 100)

        let rebound = try TestPhone()
        rebound.send(rtpPacket(ssrc: 0xA, sequence: 102), to: h.ports.a.rtp)
        #expect(h.phoneB.receive() != nil)
        #expect(h.statistics().latchedA == rebound.address)
        // The new source is forwarded in the kernel; B's media goes to it, A's old port gets nothing.
        for sequence in UInt16(103)...110 { rebound.send(rtpPacket(ssrc: 0xA, sequence: sequence), to: h.ports.a.rtp) }
        #expect(h.phoneB.drain() == 8)
        h.phoneB.send(rtpPacket(ssrc: 0xB, sequence: 2), to: h.ports.b.rtp)
        #expect(rebound.receive() != nil)
        #expect(h.phoneA.receive(within: 200) == nil)
        let stats = h.statistics()
        #expect(stats.aToB.kernelPackets == 108)
        #expect(stats.aToB.packets == 110)
        #expect(Self.directions(h) == 2)
        await h.close()
    }

    @Test("Closing the stream removes its rules: later packets reach nobody")
    func closeRemovesRules() async throws {
        let kernel = try Self.forwarder()
        let h = try RelayHarness(kernelForwarder: kernel)
        try Self.latchBothSides(h)
        // Through the relay's queue: the rules are installed once the latching packet's batch is done.
        #expect(Self.directions(h) == 2)
        #expect(kernel.ruleCount == 2)
        await h.close()
        #expect(kernel.ruleCount == 0)
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 2), to: h.ports.a.rtp)
        #expect(h.phoneB.receive(within: 300) == nil)
    }

    @Test("RFC 3711: a direction with SRTP (a transform) never gets a kernel rule")
    func srtpStaysInUserSpace() async throws {
        let kernel = try Self.forwarder()
        let h = try RelayHarness(kernelForwarder: kernel)
        let toB = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let fromB = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let session = h.session
        try h.relay.sync {
            session.setTransform(mediaIndex: 0, direction: .aToB, try SRTPProtector(key: toB))
            session.setTransform(mediaIndex: 0, direction: .bToA, try SRTPUnprotector(key: fromB))
        }
        let phoneBSends = try SRTPProtector(key: fromB)
        for sequence in UInt16(1)...5 {
            h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: sequence), to: h.ports.a.rtp)
            #expect(h.phoneB.receive() != nil)
            var secure = rtpPacket(ssrc: 0xB, sequence: sequence)
            #expect(phoneBSends.transformRTP(&secure) == .forward)
            h.phoneB.send(secure, to: h.ports.b.rtp)
            #expect(h.phoneA.receive() != nil)
        }
        #expect(Self.directions(h) == 0)
        #expect(kernel.ruleCount == 0)
        let stats = h.statistics()
        #expect(stats.aToB.packets == 5 && stats.aToB.kernelPackets == 0)
        // Dropping the transform (a re-INVITE to plain RTP) lets the direction move to the kernel.
        h.relay.sync { session.setTransform(mediaIndex: 0, direction: .aToB, nil) }
        #expect(Self.directions(h) == 1)
        await h.close()
    }

    @Test("RFC 5761 4: muxed RTCP on the RTP port stays in user space beside a kernel rule")
    func muxedRTCPInUserSpace() async throws {
        let kernel = try Self.forwarder()
        let h = try RelayHarness(kernelForwarder: kernel)
        let session = h.session
        let peerA = MediaPeer(rtp: h.phoneA.address, rtcp: h.phoneA.address)
        let peerB = MediaPeer(rtp: h.phoneB.address, rtcp: h.phoneB.address)
        h.relay.sync {
            session.setRemote(mediaIndex: 0, side: .a, peer: peerA, rtcpMux: true)
            session.setRemote(mediaIndex: 0, side: .b, peer: peerB, rtcpMux: true)
        }
        try Self.latchBothSides(h)
        #expect(Self.directions(h) == 2)
        h.phoneA.send(rtcpReceiverReport(ssrc: 0xA), to: h.ports.a.rtp)
        #expect(h.phoneB.receive()?.bytes == rtcpReceiverReport(ssrc: 0xA))
        let stats = h.statistics()
        #expect(stats.aToB.rtcpPackets == 1)
        #expect(stats.aToB.kernelPackets == 0)
        await h.close()
    }
}

extension KernelRelayTests {
    @Test("RFC 3264 8.4: hold (0.0.0.0) and a re-INVITE's new address take the rules away; the new address latches and gets them back")
    func holdAndNewAddress() async throws {
        let kernel = try Self.forwarder()
        let h = try RelayHarness(kernelForwarder: kernel)
        try Self.latchBothSides(h)
        #expect(Self.directions(h) == 2)
        let session = h.session
        let held = MediaPeer(rtp: SocketAddress(ip: "0.0.0.0", port: 9)!)
        h.relay.sync { session.setRemote(mediaIndex: 0, side: .b, peer: held) }
        // B's latch is forgotten: nothing toward B, nothing from B in the kernel.
        #expect(Self.directions(h) == 0)
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 2), to: h.ports.a.rtp)
        #expect(h.phoneB.receive(within: 300) == nil)
        #expect(h.statistics().aToB.dropped[.noDestination] == 1)

        // Resumed at a new address: A's media goes there at once (the SDP address), in the kernel.
        let moved = try TestPhone()
        h.relay.sync { session.setRemote(mediaIndex: 0, side: .b, peer: MediaPeer(rtp: moved.address)) }
        #expect(Self.directions(h) == 1)
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 3), to: h.ports.a.rtp)
        #expect(moved.receive()?.source == h.ports.b.rtp)
        moved.send(rtpPacket(ssrc: 0xB, sequence: 9), to: h.ports.b.rtp)
        #expect(h.phoneA.receive() != nil)
        #expect(Self.directions(h) == 2)
        moved.send(rtpPacket(ssrc: 0xB, sequence: 10), to: h.ports.b.rtp)
        #expect(h.phoneA.receive() != nil)
        let stats = h.statistics()
        #expect(stats.aToB.kernelPackets == 1)
        #expect(stats.bToA.kernelPackets == 1)
        await h.close()
    }
}
