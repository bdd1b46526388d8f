import Testing
@testable import Registrar

@Suite("Nonce counts") struct NonceCountTrackerTests {
    static let t0 = WallTime(secondsSinceEpoch: 1_700_000_000)

    private func record(_ tracker: inout NonceCountTracker, _ nonce: String, _ nc: UInt32, issued: WallTime = t0, now: WallTime = t0) -> NonceCountTracker.Outcome {
        tracker.record(nonce: nonce, count: nc, issuedAt: issued, expiresAt: issued + .seconds(300), now: now)
    }

    @Test("RFC 7616 3.4: each count must be higher than the last; a count seen again is a replay")
    func replayRefused() {
        var tracker = NonceCountTracker(capacity: 8)
        #expect(record(&tracker, "n", 1) == .accepted)
        #expect(record(&tracker, "n", 1) == .replayed(lastAccepted: 1))
        #expect(record(&tracker, "n", 3) == .accepted)
        #expect(record(&tracker, "n", 2) == .replayed(lastAccepted: 3))
        #expect(record(&tracker, "n", 4) == .accepted)
        // Another nonce has its own count.
        #expect(record(&tracker, "m", 1) == .accepted)
    }

    @Test("RFC 7616 3.4: entries leave when their nonce expires")
    func evictedOnExpiry() {
        var tracker = NonceCountTracker(capacity: 8)
        #expect(record(&tracker, "a", 1) == .accepted)
        #expect(record(&tracker, "b", 1, issued: Self.t0 + .seconds(100), now: Self.t0 + .seconds(100)) == .accepted)
        #expect(tracker.count == 2)
        tracker.removeExpired(now: Self.t0 + .seconds(300))
        #expect(tracker.count == 1)
        tracker.removeExpired(now: Self.t0 + .seconds(400))
        #expect(tracker.count == 0)
    }

    @Test("RFC 7616 5.5: when full, the oldest entry goes and nonces as old are refused, not trusted")
    func fullTrackerForgetsSafely() {
        var tracker = NonceCountTracker(capacity: 2)
        let t1 = Self.t0 + .milliseconds(1)
        let t2 = Self.t0 + .milliseconds(2)
        let t3 = Self.t0 + .milliseconds(3)
        #expect(record(&tracker, "a", 1, issued: Self.t0, now: t3) == .accepted)
        #expect(record(&tracker, "b", 1, issued: t1, now: t3) == .accepted)
        #expect(record(&tracker, "c", 1, issued: t3, now: t3) == .accepted)
        #expect(tracker.count == 2)
        // "a" was dropped while still fresh: its replay is not accepted.
        #expect(record(&tracker, "a", 1, issued: Self.t0, now: t3) == .forgotten)
        #expect(record(&tracker, "a", 9, issued: Self.t0, now: t3) == .forgotten)
        // An unseen nonce issued no later than the dropped one is refused too.
        #expect(record(&tracker, "z", 1, issued: Self.t0, now: t3) == .forgotten)
        // Newer nonces are tracked as usual.
        #expect(record(&tracker, "d", 1, issued: t2, now: t3) == .accepted)
        #expect(record(&tracker, "d", 1, issued: t2, now: t3) == .replayed(lastAccepted: 1))
        #expect(tracker.count == 2)
    }

    @Test("RFC 7616 3.4: memory stays bounded over many nonces")
    func bounded() {
        var tracker = NonceCountTracker(capacity: 100)
        for i in 0..<10_000 {
            let t = Self.t0 + .milliseconds(Int64(i))
            #expect(record(&tracker, "n\(i)", 1, issued: t, now: t) == .accepted)
        }
        #expect(tracker.count == 100)
    }
}
