import Testing
@testable import Media

@Suite("Symmetric RTP latch")
struct RelayLatchTests {
    static let sdp = SocketAddress(ip: "198.51.100.1", port: 4000)!
    static let nat = SocketAddress(ip: "203.0.113.9", port: 61000)!
    static let other = SocketAddress(ip: "203.0.113.66", port: 5000)!
    static let policy = RelayLatchPolicy(relatchAfterSilence: .seconds(2), sequenceWindow: 64)

    @Test("RFC 4961: sends to the SDP address until the first packet, then to its source; 0.0.0.0 sends nowhere")
    func firstPacketLatches() {
        var latch = RelayLatch(signalled: Self.sdp)
        #expect(latch.destination == RelayEndpoint(Self.sdp))
        let t = ContinuousClock.now
        let admitted1 = latch.admit(source: RelayEndpoint(Self.nat), ssrc: 1, sequence: 10, now: t, policy: Self.policy)
        #expect(admitted1)
        #expect(latch.destination == RelayEndpoint(Self.nat))

        let held = RelayLatch(signalled: SocketAddress(ip: "0.0.0.0", port: 4000))
        #expect(held.destination == nil)
    }

    @Test("RFC 3550 8.2: another SSRC, or the same SSRC far out of sequence, does not move a live latch")
    func resistsInjection() {
        var latch = RelayLatch(signalled: Self.sdp)
        let t = ContinuousClock.now
        _ = latch.admit(source: RelayEndpoint(Self.nat), ssrc: 1, sequence: 10, now: t, policy: Self.policy)
        let admitted2 = latch.admit(source: RelayEndpoint(Self.other), ssrc: 2, sequence: 11, now: t + .milliseconds(20), policy: Self.policy)
        #expect(!admitted2)
        let admitted3 = latch.admit(source: RelayEndpoint(Self.other), ssrc: 1, sequence: 9, now: t + .milliseconds(20), policy: Self.policy)
        #expect(!admitted3)
        let admitted4 = latch.admit(source: RelayEndpoint(Self.other), ssrc: 1, sequence: 500, now: t + .milliseconds(20), policy: Self.policy)
        #expect(!admitted4)
        #expect(latch.destination == RelayEndpoint(Self.nat))
        #expect(latch.relatchCount == 0)
        // Continuity (NAT rebinding) moves it.
        let admitted5 = latch.admit(source: RelayEndpoint(Self.other), ssrc: 1, sequence: 12, now: t + .milliseconds(40), policy: Self.policy)
        #expect(admitted5)
        #expect(latch.destination == RelayEndpoint(Self.other))
        #expect(latch.relatchCount == 1)
    }

    @Test("RFC 4961: after the latched source went silent, a new source may take over; the SDP address always may")
    func silenceAndSignalled() {
        var latch = RelayLatch(signalled: Self.sdp)
        let t = ContinuousClock.now
        _ = latch.admit(source: RelayEndpoint(Self.nat), ssrc: 1, sequence: 10, now: t, policy: Self.policy)
        let admitted6 = latch.admit(source: RelayEndpoint(Self.other), ssrc: 7, sequence: 1, now: t + .seconds(1), policy: Self.policy)
        #expect(!admitted6)
        let admitted7 = latch.admit(source: RelayEndpoint(Self.other), ssrc: 7, sequence: 1, now: t + .seconds(3), policy: Self.policy)
        #expect(admitted7)
        let admitted8 = latch.admit(source: RelayEndpoint(Self.sdp), ssrc: 9, sequence: 1, now: t + .seconds(3), policy: Self.policy)
        #expect(admitted8)
        #expect(latch.destination == RelayEndpoint(Self.sdp))
    }

    @Test("re-INVITE: a changed SDP address drops the latch, the same one keeps it")
    func resignal() {
        var latch = RelayLatch(signalled: Self.sdp)
        _ = latch.admit(source: RelayEndpoint(Self.nat), ssrc: 1, sequence: 10, now: .now, policy: Self.policy)
        latch.signal(Self.sdp)
        #expect(latch.destination == RelayEndpoint(Self.nat))
        latch.signal(Self.other)
        #expect(latch.destination == RelayEndpoint(Self.other))
    }
}
