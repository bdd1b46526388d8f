import Testing

@testable import Routing

@Suite("Limits and health state machines") struct LimitsTests {
    static func ms(_ v: Int64) -> MonotonicTime { .milliseconds(v) }

    @Test("Twilio rule: pace below the CPS limit: 1 CPS with 10% headroom spaces calls 1.111 s apart")
    func pacingSequence() {
        var pacer = CallPacer(callsPerSecond: 1, headroomPercent: 10, maxQueued: 3)
        let t0 = Self.ms(1000)
        let step: Int64 = 1_111_111_111
        #expect(pacer.admit(at: t0) == .sendNow)
        #expect(pacer.admit(at: t0) == .sendAt(MonotonicTime(nanoseconds: t0.nanoseconds + step)))
        #expect(pacer.admit(at: t0) == .sendAt(MonotonicTime(nanoseconds: t0.nanoseconds + 2 * step)))
        #expect(pacer.admit(at: t0) == .sendAt(MonotonicTime(nanoseconds: t0.nanoseconds + 3 * step)))
        // Queue bound: a fourth waiting call goes to the next carrier, and reserves nothing.
        #expect(pacer.admit(at: t0) == .overflow)
        #expect(pacer.admit(at: t0) == .overflow)
        // After the queue drains the next call is sent at once.
        #expect(pacer.admit(at: MonotonicTime(nanoseconds: t0.nanoseconds + 4 * step)) == .sendNow)
    }

    @Test("Token bucket: a burst of 3 at 3 CPS goes at once, then one per interval; idle time refills")
    func burst() {
        var pacer = CallPacer(callsPerSecond: 3, headroomPercent: 0, burst: 3, maxQueued: 1)
        #expect(pacer.admit(at: Self.ms(0)) == .sendNow)
        #expect(pacer.admit(at: Self.ms(0)) == .sendNow)
        #expect(pacer.admit(at: Self.ms(0)) == .sendNow)
        #expect(pacer.admit(at: Self.ms(0)) == .sendAt(MonotonicTime(nanoseconds: 333_333_333)))
        #expect(pacer.admit(at: Self.ms(0)) == .overflow)
        #expect(pacer.admit(at: Self.ms(5000)) == .sendNow)
        #expect(pacer.admit(at: Self.ms(5000)) == .sendNow)
        #expect(pacer.admit(at: Self.ms(5000)) == .sendNow)
    }

    @Test("Kari's Law: emergency calls are never paced, and ordinary calls after them still are")
    func emergencyPacing() {
        var pacer = CallPacer(interval: .seconds(1), maxQueued: 0)
        #expect(pacer.admit(at: Self.ms(0)) == .sendNow)
        #expect(pacer.admit(at: Self.ms(0)) == .overflow)
        #expect(pacer.admit(at: Self.ms(0), emergency: true) == .sendNow)
        #expect(pacer.admit(at: Self.ms(0), emergency: true) == .sendNow)
        #expect(pacer.admit(at: Self.ms(2500)) == .overflow)
        #expect(pacer.admit(at: Self.ms(3000)) == .sendNow)
    }

    @Test("Channel limit: acquire up to the limit, release frees one; emergency exceeds the limit")
    func channels() {
        var channels = ChannelCounter(limit: 2)
        #expect(channels.acquire() && channels.acquire())
        #expect(!channels.acquire() && channels.available == 0)
        #expect(channels.acquire(emergency: true) && channels.inUse == 3)
        channels.release()
        let overLimit = channels.acquire()
        #expect(!overLimit)
        channels.release()
        #expect(channels.acquire() && channels.inUse == 2)
        var unlimited = ChannelCounter(limit: nil)
        var acquired = 0
        for _ in 0..<1000 where unlimited.acquire() { acquired += 1 }
        #expect(acquired == 1000)
        #expect(unlimited.available == nil)
    }

    @Test("OPTIONS health: down after 3 failed probes in a row, up after 2 successes; one success does not flap")
    func hysteresis() {
        var health = TrunkHealth(downAfter: 3, upAfter: 2)
        #expect(health.record(probeSucceeded: false) == nil)
        #expect(health.record(probeSucceeded: false) == nil)
        #expect(health.record(probeSucceeded: true) == nil)
        #expect(health.record(probeSucceeded: false) == nil)
        #expect(health.record(probeSucceeded: false) == nil)
        #expect(health.record(probeSucceeded: false) == .down)
        #expect(health.record(probeSucceeded: false) == nil && !health.isUp)
        #expect(health.record(probeSucceeded: true) == nil)
        #expect(health.record(probeSucceeded: false) == nil)
        #expect(health.record(probeSucceeded: true) == nil)
        #expect(health.record(probeSucceeded: true) == .up && health.isUp)
    }

    @Test("RFC 3261 11.2: any OPTIONS answer below 500 shows a live server; 5xx and silence do not")
    func probeOutcome() {
        #expect(TrunkHealth.probeSucceeded(status: 200))
        #expect(TrunkHealth.probeSucceeded(status: 404))
        #expect(TrunkHealth.probeSucceeded(status: 405))
        #expect(!TrunkHealth.probeSucceeded(status: 503))
        #expect(!TrunkHealth.probeSucceeded(status: nil))
        #expect(!TrunkHealth.probeSucceeded(status: 180))
    }

    @Test("Circuit breaker: open after 3 failures, one half-open probe after the cool-down, closed on success")
    func breaker() {
        var breaker = CircuitBreaker(failureThreshold: 3, coolDown: .seconds(30))
        breaker.recordFailure(at: Self.ms(0))
        breaker.recordFailure(at: Self.ms(10))
        breaker.recordSuccess()
        breaker.recordFailure(at: Self.ms(20))
        breaker.recordFailure(at: Self.ms(30))
        let p1 = breaker.permits(at: Self.ms(35))
        #expect(p1)
        breaker.recordFailure(at: Self.ms(40))
        #expect(breaker.state == .open(until: Self.ms(30_040)))
        let p2 = breaker.permits(at: Self.ms(30_039))
        #expect(!p2)
        let p3 = breaker.permits(at: Self.ms(30_039), emergency: true)
        #expect(p3)
        #expect(breaker.permits(at: Self.ms(30_040)) && breaker.state == .halfOpen)
        let p4 = breaker.permits(at: Self.ms(30_041))
        #expect(!p4)
        breaker.recordFailure(at: Self.ms(31_000))
        #expect(breaker.state == .open(until: Self.ms(61_000)))
        let p5 = breaker.permits(at: Self.ms(61_000))
        #expect(p5)
        breaker.recordSuccess()
        #expect(breaker.state == .closed && breaker.permits(at: Self.ms(61_001)) && breaker.permits(at: Self.ms(61_002)))
    }
}
