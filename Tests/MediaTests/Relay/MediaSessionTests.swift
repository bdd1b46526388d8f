import Dispatch
import Synchronization
import Testing
@testable import Media

/// A relay session on 127.0.0.1 with one stream and a phone on each side.
final class RelayHarness: @unchecked Sendable {
    let pool: RelayPortPool
    let relay: RelayShard
    let session: MediaSession
    let ports: MediaStreamPorts
    let phoneA: TestPhone
    let phoneB: TestPhone

    init(
        configuration: MediaSessionConfiguration = MediaSessionConfiguration(), signalA: Bool = true,
        kernelForwarder: KernelForwarder? = nil
    ) throws {
        relay = RelayShard(label: "test.media.session", kernelForwarder: kernelForwarder)
        pool = RelayPortPool(range: testPortRange(pairs: 8))
        phoneA = try TestPhone()
        phoneB = try TestPhone()
        let local = SocketAddress(ip: "127.0.0.1", port: 0)!
        session = MediaSession(id: "call-1", configuration: configuration, portPool: pool, relay: relay) { _ in }
        let session = self.session
        ports = try relay.sync { () throws -> MediaStreamPorts in
            try session.openStream(mediaIndex: 0, localA: local, localB: local)
        }
        let peerA = signalA ? MediaPeer(rtp: phoneA.address) : nil
        let peerB = MediaPeer(rtp: phoneB.address)
        relay.sync {
            session.setRemote(mediaIndex: 0, side: .a, peer: peerA)
            session.setRemote(mediaIndex: 0, side: .b, peer: peerB)
            session.start()
        }
    }

    func statistics() -> MediaStreamStatistics {
        let session = self.session
        return relay.sync { session.statistics()[0] }
    }

    func close() async {
        let session = self.session
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            relay.async { session.close { done.resume() } }
        }
    }
}

@Suite("Media relay session")
struct MediaSessionTests {
    @Test("RFC 3550 / RFC 4961: RTP relayed both ways between two phones through the relay ports")
    func relaysBothWays() async throws {
        let h = try RelayHarness()
        let a = rtpPacket(ssrc: 0xA, sequence: 1)
        h.phoneA.send(a, to: h.ports.a.rtp)
        let atB = try #require(h.phoneB.receive())
        #expect(atB.bytes == a)
        #expect(atB.source == h.ports.b.rtp)

        let b = rtpPacket(ssrc: 0xB, sequence: 7)
        h.phoneB.send(b, to: h.ports.b.rtp)
        let atA = try #require(h.phoneA.receive())
        #expect(atA.bytes == b)
        #expect(atA.source == h.ports.a.rtp)

        let stats = h.statistics()
        #expect(stats.aToB.packets == 1 && stats.aToB.bytes == a.count)
        #expect(stats.bToA.packets == 1 && stats.bToA.bytes == b.count)
        #expect(stats.aToB.lastPacket != nil)
        #expect(stats.latchedA == h.phoneA.address)
        await h.close()
        #expect(h.pool.allocatedCount == 0)
    }

    @Test("RFC 4961: a leg behind NAT is latched to the packets' real source, not the SDP address")
    func latchesToNATSource() async throws {
        // A's SDP names a port nobody listens on; A's packets come from its real (NAT) port.
        let h = try RelayHarness(signalA: false)
        let nat = try TestPhone()
        let session = h.session
        h.relay.sync { session.setRemote(mediaIndex: 0, side: .a, peer: MediaPeer(rtp: nat.address.with(port: 9))) }

        // Before A sends, B's media has nowhere useful to go but the SDP address.
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 1), to: h.ports.a.rtp)
        #expect(h.phoneB.receive() != nil)
        let b = rtpPacket(ssrc: 0xB, sequence: 1)
        h.phoneB.send(b, to: h.ports.b.rtp)
        let atA = try #require(h.phoneA.receive())
        #expect(atA.bytes == b)
        #expect(h.statistics().latchedA == h.phoneA.address)
        await h.close()
    }

    @Test("RFC 4961 / RFC 3550 8.2: a packet with another SSRC from another port does not steal the latch")
    func injectionDoesNotStealLatch() async throws {
        let h = try RelayHarness()
        for seq in UInt16(1)...3 { h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: seq), to: h.ports.a.rtp) }
        #expect(h.phoneB.drain() == 3)

        let attacker = try TestPhone()
        attacker.send(rtpPacket(ssrc: 0xBAD, sequence: 500), to: h.ports.a.rtp)
        #expect(h.phoneB.receive(within: 300) == nil)

        h.phoneB.send(rtpPacket(ssrc: 0xB, sequence: 1), to: h.ports.b.rtp)
        #expect(h.phoneA.receive() != nil)
        #expect(attacker.receive(within: 300) == nil)

        // The same stream continuing from a new port (NAT rebinding) may move the latch.
        let rebound = try TestPhone()
        rebound.send(rtpPacket(ssrc: 0xA, sequence: 4), to: h.ports.a.rtp)
        #expect(h.phoneB.receive() != nil)
        h.phoneB.send(rtpPacket(ssrc: 0xB, sequence: 2), to: h.ports.b.rtp)
        #expect(rebound.receive() != nil)

        let stats = h.statistics()
        #expect(stats.aToB.dropped[.unlatchedSource] == 1)
        #expect(stats.aToB.packets == 4)
        #expect(stats.latchedA == rebound.address)
        await h.close()
    }

    @Test("RFC 3550 6: RTCP relayed between the RTCP ports (RTP + 1)")
    func relaysRTCP() async throws {
        let h = try RelayHarness()
        let rtcpA = try TestPhone()
        let rtcpB = try TestPhone()
        let session = h.session
        h.relay.sync {
            session.setRemote(mediaIndex: 0, side: .a, peer: MediaPeer(rtp: h.phoneA.address, rtcp: rtcpA.address))
            session.setRemote(mediaIndex: 0, side: .b, peer: MediaPeer(rtp: h.phoneB.address, rtcp: rtcpB.address))
        }
        let report = rtcpReceiverReport(ssrc: 0xA)
        rtcpA.send(report, to: h.ports.a.rtcp)
        let atB = try #require(rtcpB.receive())
        #expect(atB.bytes == report)
        #expect(atB.source == h.ports.b.rtcp)

        rtcpB.send(rtcpReceiverReport(ssrc: 0xB), to: h.ports.b.rtcp)
        #expect(rtcpA.receive()?.source == h.ports.a.rtcp)

        // RTP sent to an RTCP port is not relayed.
        rtcpA.send(rtpPacket(ssrc: 0xA, sequence: 1), to: h.ports.a.rtcp)
        #expect(rtcpB.receive(within: 300) == nil)
        let stats = h.statistics()
        #expect(stats.aToB.rtcpPackets == 1 && stats.aToB.rtcpBytes == report.count)
        #expect(stats.bToA.rtcpPackets == 1)
        #expect(stats.aToB.dropped[.malformed] == 1)
        await h.close()
    }

    @Test("RFC 5761 4: under rtcp-mux, RTCP on the RTP port is relayed to the other side's RTCP port")
    func muxedRTCP() async throws {
        let h = try RelayHarness()
        let rtcpB = try TestPhone()
        let session = h.session
        h.relay.sync {
            session.setRemote(mediaIndex: 0, side: .a, peer: MediaPeer(rtp: h.phoneA.address, rtcp: h.phoneA.address), rtcpMux: true)
            session.setRemote(mediaIndex: 0, side: .b, peer: MediaPeer(rtp: h.phoneB.address, rtcp: rtcpB.address))
        }
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 1), to: h.ports.a.rtp)
        #expect(h.phoneB.receive() != nil)
        h.phoneA.send(rtcpReceiverReport(ssrc: 0xA), to: h.ports.a.rtp)
        #expect(rtcpB.receive()?.bytes == rtcpReceiverReport(ssrc: 0xA))
        rtcpB.send(rtcpReceiverReport(ssrc: 0xB), to: h.ports.b.rtcp)
        let back = try #require(h.phoneA.receive())
        #expect(back.source == h.ports.a.rtp)
        #expect(back.bytes == rtcpReceiverReport(ssrc: 0xB))
        await h.close()
    }

    @Test("a direction's transform rewrites or drops packets before they are sent; drops are counted")
    func transformHook() async throws {
        let h = try RelayHarness()
        let session = h.session
        h.relay.sync {
            session.setTransform(mediaIndex: 0, direction: .aToB, PayloadTypeRewrite(to: 8))
            session.setTransform(mediaIndex: 0, direction: .bToA, DropAll())
        }
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 1), to: h.ports.a.rtp)
        #expect(try #require(h.phoneB.receive()).bytes[1] == 8)
        h.phoneB.send(rtpPacket(ssrc: 0xB, sequence: 1), to: h.ports.b.rtp)
        #expect(h.phoneA.receive(within: 300) == nil)
        #expect(h.statistics().bToA.dropped[.transform(.authenticationFailed)] == 1)
        await h.close()
    }

    @Test("re-INVITE: a new remote address keeps the local ports and is used until the peer latches")
    func reinviteUpdatesRemote() async throws {
        let h = try RelayHarness()
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 1), to: h.ports.a.rtp)
        #expect(h.phoneB.receive() != nil)
        let moved = try TestPhone()
        let session = h.session
        h.relay.sync { session.setRemote(mediaIndex: 0, side: .b, peer: MediaPeer(rtp: moved.address)) }
        h.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 2), to: h.ports.a.rtp)
        let atMoved = try #require(moved.receive())
        #expect(atMoved.source == h.ports.b.rtp)
        #expect(h.phoneB.receive(within: 300) == nil)
        await h.close()
    }

    @Test("media timeout: a session without packets is reported dead, once")
    func timeoutReported() async throws {
        let pool = RelayPortPool(range: testPortRange(pairs: 4))
        let relay = RelayShard(label: "test.media.timeout")
        let reports = Mutex<[MediaSessionTimeout]>([])
        let configuration = MediaSessionConfiguration(mediaTimeout: .milliseconds(300), timeoutCheckInterval: .milliseconds(50))
        let session = MediaSession(id: "call-dead", configuration: configuration, portPool: pool, relay: relay) { report in
            reports.withLock { $0.append(report) }
        }
        let local = SocketAddress(ip: "127.0.0.1", port: 0)!
        try relay.sync { () throws in
            try session.openStream(mediaIndex: 0, localA: local, localB: local)
            session.start()
        }
        var waited = 0
        while reports.withLock({ $0.isEmpty }), waited < 100 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        try await Task.sleep(for: .milliseconds(200))
        let got = reports.withLock { $0 }
        #expect(got.count == 1)
        #expect(got.first?.sessionID == "call-dead")
        #expect(got.first?.lastPacket == nil)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            relay.async { session.close { done.resume() } }
        }
        #expect(pool.allocatedCount == 0)
    }

    @Test("teardown before start closes the sockets and returns the ports")
    func closeUnstarted() throws {
        let pool = RelayPortPool(range: testPortRange(pairs: 4))
        let relay = RelayShard(label: "test.media.unstarted")
        let session = MediaSession(id: "call-2", portPool: pool, relay: relay) { _ in }
        let local = SocketAddress(ip: "127.0.0.1", port: 0)!
        let ports = try relay.sync { () throws -> MediaStreamPorts in
            try session.openStream(mediaIndex: 0, localA: local, localB: local)
        }
        #expect(pool.allocatedCount == 2)
        relay.sync { session.close() }
        #expect(pool.allocatedCount == 0)
        // The sockets are closed: the port binds again.
        let fd = try RelaySyscall.boundDatagramSocket(ports.a.rtp, bufferSize: 0)
        RelaySyscall.close(fd)
    }
}

final class PayloadTypeRewrite: MediaPacketTransform {
    let payloadType: UInt8
    init(to payloadType: UInt8) { self.payloadType = payloadType }
    func transformRTP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        packet[1] = packet[1] & 0x80 | payloadType
        return .forward
    }
    func transformRTCP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult { .forward }
}

final class DropAll: MediaPacketTransform {
    func transformRTP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult { .drop(.authenticationFailed) }
    func transformRTCP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult { .drop(.authenticationFailed) }
}

@Suite("Media relay session streams")
struct MediaSessionStreamTests {
    @Test("RFC 3264 8.2: a stream disabled by a re-INVITE releases its ports; the m-line can be opened again")
    func closeAndReopenStream() async throws {
        let pool = RelayPortPool(range: testPortRange(pairs: 6), quarantine: .zero)
        let relay = RelayShard(label: "test.media.reopen")
        let session = MediaSession(id: "call-3", portPool: pool, relay: relay) { _ in }
        let local = SocketAddress(ip: "127.0.0.1", port: 0)!
        let phoneA = try TestPhone()
        let phoneB = try TestPhone()
        let ports = try relay.sync { () throws -> MediaStreamPorts in
            try session.openStream(mediaIndex: 0, localA: local, localB: local)
            try session.openStream(mediaIndex: 1, localA: local, localB: local)
            session.start()
            session.closeStream(mediaIndex: 1)
            return try session.openStream(mediaIndex: 1, localA: local, localB: local)
        }
        relay.sync {
            session.setRemote(mediaIndex: 1, side: .a, peer: MediaPeer(rtp: phoneA.address))
            session.setRemote(mediaIndex: 1, side: .b, peer: MediaPeer(rtp: phoneB.address))
        }
        phoneA.send(rtpPacket(ssrc: 1, sequence: 1), to: ports.a.rtp)
        #expect(phoneB.receive()?.source == ports.b.rtp)
        #expect(pool.allocatedCount == 4)
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            relay.async { session.close { done.resume() } }
        }
        #expect(pool.allocatedCount == 0)
    }
}
