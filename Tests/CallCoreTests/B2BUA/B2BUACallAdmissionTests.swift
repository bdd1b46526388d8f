import SIPCore
import Synchronization
import Testing

@testable import CallCore

@Suite("B2BUA call admission (customer channel limits)")
struct B2BUACallAdmissionTests {
    typealias H = B2BUAHarness

    /// One channel per customer, the way the server's customer limits count: taken at admission, returned at release.
    final class OneChannel: B2BUACallObserver {
        let inUse = Mutex(0)
        let released = Mutex(0)

        func admit(_ target: B2BUATarget, emergency: Bool) -> AttemptAdmission { .admit }
        func attemptEnded(_ target: B2BUATarget, status: Int, answered: Bool) {}
        func callEnded(_ record: CallDetailRecord, attempts: [CallAttemptRecord], answered: B2BUATarget?) {}

        func admitCall(_ accounting: CallAccounting) -> CallAdmission {
            if accounting.callClass == .emergency { return .admit }
            return inUse.withLock { count in
                guard count < 1 else { return .refuse(retryAfter: 9) }
                count += 1
                return .admit
            }
        }

        func callReleased(_ accounting: CallAccounting) {
            if accounting.callClass == .emergency { return }
            inUse.withLock { $0 -= 1 }
            released.withLock { $0 += 1 }
        }
    }

    @Test("RFC 3261 21.5.4: a call over the limit gets 503 with Retry-After and places no leg; the channel returns when a call ends")
    func refusedOverLimit() throws {
        let h = H(B2BUARequest(candidates: H.carriers([H.carrier1]), accounting: CallAccounting(customer: "acme")))
        let observer = OneChannel()
        h.b2bua.settings.observer = observer
        h.receive(H.invite(callID: "call-1", branch: "z9hG4bKa1"), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first)

        h.receive(H.invite(callID: "call-2", branch: "z9hG4bKa2"), from: H.pbx)
        let out = h.sender.take()
        #expect(!out.contains { $0.target.address == H.carrier1 })
        let refusal = try #require(out.first { $0.target.address == H.pbx && $0.message.statusCode >= 300 }?.message)
        #expect(refusal.statusCode == 503)
        #expect(refusal.values(named: "Retry-After") == ["9"])

        h.receive(H.response(to: first, 486, "Busy Here"), from: H.carrier1)
        _ = h.sender.take()
        #expect(observer.released.withLock { $0 } == 1)
        h.receive(H.invite(callID: "call-3", branch: "z9hG4bKa3"), from: H.pbx)
        #expect(h.take(to: H.carrier1).count == 1)
    }
}
