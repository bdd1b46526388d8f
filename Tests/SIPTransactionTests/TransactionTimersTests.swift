import SIPTransaction
import Testing

@Suite("Timer values")
struct TransactionTimersTests {
    @Test("RFC 3261 Table 4 and RFC 6026: default values")
    func defaults() {
        let t = TransactionTimers()
        #expect(t.t1 == 500 && t.t2 == 4_000 && t.t4 == 5_000)
        #expect(t.timerA == 500 && t.timerB == 32_000)
        #expect(t.timerD(reliable: false) == 32_000 && t.timerD(reliable: true) == 0)
        #expect(t.timerE == 500 && t.timerF == 32_000)
        #expect(t.timerG == 500 && t.timerH == 32_000)
        #expect(t.timerI(reliable: false) == 5_000 && t.timerI(reliable: true) == 0)
        #expect(t.timerJ(reliable: false) == 32_000 && t.timerJ(reliable: true) == 0)
        #expect(t.timerK(reliable: false) == 5_000 && t.timerK(reliable: true) == 0)
        #expect(t.timerL == 32_000 && t.timerM == 32_000)
        #expect(t.tryingDelay == 200 && !t.sendTryingImmediately)
    }

    @Test("RFC 3261 Table 4: B, F, H, J, L and M are 64*T1; I and K follow T4")
    func scaled() {
        let t = TransactionTimers(t1: 100, t2: 1_000, t4: 2_000)
        #expect([t.timerB, t.timerF, t.timerH, t.timerJ(reliable: false), t.timerL, t.timerM] == Array(repeating: 6_400, count: 6))
        #expect(t.timerI(reliable: false) == 2_000 && t.timerK(reliable: false) == 2_000)
        #expect(t.timerD(reliable: false) == 32_000)
    }
}
