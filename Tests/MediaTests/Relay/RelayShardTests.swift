import Dispatch
import Testing
@testable import Media

/// Sessions of one stream each on one shard, a phone on each side of every stream.
final class ShardHarness: @unchecked Sendable {
    struct Call {
        let session: MediaSession
        let ports: MediaStreamPorts
        let phoneA: TestPhone
        let phoneB: TestPhone
    }

    let relay: RelayShard
    let pool: RelayPortPool

    init(configuration: RelayShardConfiguration = RelayShardConfiguration(), pairs: Int) {
        relay = RelayShard(label: "test.media.shard", configuration: configuration)
        pool = RelayPortPool(range: testPortRange(pairs: pairs), quarantine: .zero)
    }

    func call(_ id: String) throws -> Call {
        let session = MediaSession(id: id, portPool: pool, relay: relay) { _ in }
        let phoneA = try TestPhone()
        let phoneB = try TestPhone()
        let local = SocketAddress(ip: "127.0.0.1", port: 0)!
        let ports = try relay.sync { () throws -> MediaStreamPorts in
            let ports = try session.openStream(mediaIndex: 0, localA: local, localB: local)
            session.setRemote(mediaIndex: 0, side: .a, peer: MediaPeer(rtp: phoneA.address))
            session.setRemote(mediaIndex: 0, side: .b, peer: MediaPeer(rtp: phoneB.address))
            session.start()
            return ports
        }
        return Call(session: session, ports: ports, phoneA: phoneA, phoneB: phoneB)
    }

    func close(_ call: Call) async {
        let session = call.session
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            relay.async { session.close { done.resume() } }
        }
    }
}

@Suite("Media relay shard")
struct RelayShardTests {
    @Test("RFC 3550: many calls on one shard's epoll set, each stream's packets reach only its own peer")
    func manyStreamsOneSet() async throws {
        let h = ShardHarness(pairs: 40)
        var calls: [ShardHarness.Call] = []
        for index in 0..<12 { calls.append(try h.call("call-\(index)")) }
        #expect(h.relay.sync { h.relay.registeredCount } == 12 * 4)
        for (index, call) in calls.enumerated() {
            call.phoneA.send(rtpPacket(ssrc: UInt32(index), sequence: 1), to: call.ports.a.rtp)
            call.phoneB.send(rtpPacket(ssrc: UInt32(100 + index), sequence: 1), to: call.ports.b.rtp)
        }
        for (index, call) in calls.enumerated() {
            let atB = try #require(call.phoneB.receive())
            #expect(atB.bytes == rtpPacket(ssrc: UInt32(index), sequence: 1))
            #expect(atB.source == call.ports.b.rtp)
            let atA = try #require(call.phoneA.receive())
            #expect(atA.bytes == rtpPacket(ssrc: UInt32(100 + index), sequence: 1))
            #expect(atA.source == call.ports.a.rtp)
        }

        // Closed calls leave the set; their slots go to new calls, which relay as well.
        for call in calls[0..<6] { await h.close(call) }
        #expect(h.relay.sync { h.relay.registeredCount } == 6 * 4)
        var reopened: [ShardHarness.Call] = []
        for index in 0..<6 { reopened.append(try h.call("again-\(index)")) }
        for (index, call) in (reopened + calls[6...]).enumerated() {
            call.phoneA.send(rtpPacket(ssrc: UInt32(200 + index), sequence: 9), to: call.ports.a.rtp)
        }
        for (index, call) in (reopened + calls[6...]).enumerated() {
            #expect(call.phoneB.receive()?.bytes == rtpPacket(ssrc: UInt32(200 + index), sequence: 9))
        }
        for call in reopened + calls[6...] { await h.close(call) }
        #expect(h.relay.sync { h.relay.registeredCount } == 0)
        #expect(h.pool.allocatedCount == 0)
    }

    @Test("RFC 3550: a burst longer than several recvmmsg batches is relayed whole and in order")
    func burstAcrossBatches() async throws {
        let h = ShardHarness(configuration: RelayShardConfiguration(batchSize: 4), pairs: 4)
        let call = try h.call("burst")
        let burst = (UInt16(1)...50).map { rtpPacket(ssrc: 7, sequence: $0) }
        for packet in burst { call.phoneA.send(packet, to: call.ports.a.rtp) }
        var got: [[UInt8]] = []
        while got.count < burst.count, let datagram = call.phoneB.receive() { got.append(datagram.bytes) }
        #expect(got == burst)
        let stats = h.relay.sync { call.session.statistics()[0] }
        #expect(stats.aToB.packets == 50)
        #expect(stats.aToB.bytes == burst.reduce(0) { $0 + $1.count })
        await h.close(call)
    }

    @Test("RFC 3711 3.3: SRTP toward B is protected where the packet was received (tag in the slot's headroom), and B's SRTP opens for A")
    func srtpInPlace() async throws {
        let h = ShardHarness(pairs: 4)
        let call = try h.call("srtp")
        let toB = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let fromB = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let session = call.session
        try h.relay.sync {
            session.setTransform(mediaIndex: 0, direction: .aToB, try SRTPProtector(key: toB))
            session.setTransform(mediaIndex: 0, direction: .bToA, try SRTPUnprotector(key: fromB))
        }
        let phoneBReceives = try SRTPUnprotector(key: toB)
        let phoneBSends = try SRTPProtector(key: fromB)
        for sequence in UInt16(1)...5 {
            let plain = rtpPacket(ssrc: 0xA, sequence: sequence)
            call.phoneA.send(plain, to: call.ports.a.rtp)
            var atB = try #require(call.phoneB.receive()).bytes
            #expect(atB.count == plain.count + SRTPCryptoSuite.aesCM128HMACSHA1_80.rtpTagLength)
            #expect(phoneBReceives.transformRTP(&atB) == .forward)
            #expect(atB == plain)

            let reply = rtpPacket(ssrc: 0xB, sequence: sequence)
            var secure = reply
            #expect(phoneBSends.transformRTP(&secure) == .forward)
            call.phoneB.send(secure, to: call.ports.b.rtp)
            #expect(call.phoneA.receive()?.bytes == reply)
        }
        // A forged packet from B's latched address is dropped and counted.
        var forged = rtpPacket(ssrc: 0xB, sequence: 6)
        #expect(phoneBSends.transformRTP(&forged) == .forward)
        forged[20] ^= 1
        call.phoneB.send(forged, to: call.ports.b.rtp)
        #expect(call.phoneA.receive(within: 300) == nil)
        let stats = h.relay.sync { session.statistics()[0] }
        #expect(stats.bToA.dropped[.transform(.authenticationFailed)] == 1)
        #expect(stats.aToB.packets == 5 && stats.bToA.packets == 5)
        await h.close(call)
    }

    @Test(
        "work queued through the shard runs while media flows (the doorbell takes the queue from a waiting shard)",
        .timeLimit(.minutes(1)))
    func doorbellWhileServing() async throws {
        // A long hold: without the doorbell each sync would wait for the line to go idle.
        let h = ShardHarness(configuration: RelayShardConfiguration(holdTime: .seconds(30), turnLength: .seconds(30)), pairs: 4)
        let call = try h.call("busy")
        call.phoneA.send(rtpPacket(ssrc: 1, sequence: 1), to: call.ports.a.rtp)
        #expect(call.phoneB.receive() != nil)
        for round in 0..<20 {
            call.phoneA.send(rtpPacket(ssrc: 1, sequence: UInt16(2 + round)), to: call.ports.a.rtp)
            #expect(h.relay.sync { call.session.statistics()[0].aToB.lastPacket != nil })
        }
        #expect(call.phoneB.drain() == 20)
        await h.close(call)
    }
}
