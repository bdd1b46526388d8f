import SIPTransaction
import Testing

@Suite("Timer wheel")
struct TimerWheelTests {
    @Test("Due timers fire in deadline order, across slots that share a bucket")
    func deadlineOrder() {
        var wheel = TimerWheel<String>(now: 0, slotCount: 8)
        wheel.schedule(at: 30, "d")
        wheel.schedule(at: 19, "c")
        wheel.schedule(at: 3, "a")
        wheel.schedule(at: 11, "b")
        #expect(wheel.advance(to: 25).map(\.payload) == ["a", "b", "c"])
        #expect(wheel.advance(to: 29).isEmpty)
        let last = wheel.advance(to: 30)
        #expect(last.map(\.payload) == ["d"])
        #expect(last.first?.deadline == 30)
        #expect(wheel.count == 0)
    }

    @Test("A deadline several turns away does not fire early")
    func laterTurn() {
        var wheel = TimerWheel<Int>(now: 0, slotCount: 8)
        wheel.schedule(at: 100, 1)
        #expect(wheel.advance(to: 99).isEmpty)
        #expect(wheel.advance(to: 100).map(\.deadline) == [100])
    }

    @Test("A cancelled timer does not fire")
    func cancel() {
        var wheel = TimerWheel<Int>(now: 0)
        let a = wheel.schedule(at: 10, 1)
        wheel.schedule(at: 10, 2)
        #expect(wheel.cancel(a) == 1)
        #expect(wheel.cancel(a) == nil)
        #expect(wheel.count == 1)
        #expect(wheel.advance(to: 10).map(\.payload) == [2])
    }

    @Test("An id of a fired or cancelled timer never cancels the timer that reuses its place")
    func staleID() {
        var wheel = TimerWheel<Int>(now: 0)
        let first = wheel.schedule(at: 5, 1)
        #expect(wheel.cancel(first) == 1)
        let second = wheel.schedule(at: 5, 2)
        #expect(second != first)
        #expect(wheel.cancel(first) == nil)
        #expect(wheel.advance(to: 5).map(\.payload) == [2])
        let third = wheel.schedule(at: 9, 3)
        #expect(wheel.cancel(second) == nil)
        #expect(wheel.count == 1)
        #expect(wheel.advance(to: 9).map(\.id) == [third])
    }

    @Test("Equal deadlines fire in scheduling order")
    func ties() {
        var wheel = TimerWheel<Int>(now: 0)
        for i in 0..<5 { wheel.schedule(at: 7, i) }
        #expect(wheel.advance(to: 7).map(\.payload) == [0, 1, 2, 3, 4])
    }

    @Test("Timers scheduled while draining fire in order within the same advance")
    func scheduleWhileDraining() {
        var wheel = TimerWheel<String>(now: 0)
        wheel.schedule(at: 5, "first")
        wheel.schedule(at: 10, "last")
        var order: [String] = []
        while let due = wheel.popDue(upTo: 10) {
            order.append(due.payload)
            if due.payload == "first" {
                wheel.schedule(at: 5, "now")
                wheel.schedule(at: 7, "later")
            }
        }
        #expect(order == ["first", "now", "later", "last"])
        #expect(wheel.now == 10)
    }

    @Test("A long idle stretch is skipped and the timer still fires with its deadline")
    func longJump() {
        var wheel = TimerWheel<Int>(now: 0, slotCount: 16)
        wheel.schedule(at: 1_000_000, 1)
        wheel.schedule(at: 1_000_001, 2)
        let fired = wheel.advance(to: 2_000_000)
        #expect(fired.map(\.deadline) == [1_000_000, 1_000_001])
        #expect(wheel.now == 2_000_000)
    }

    @Test("An id a cancelled timer left in its slot, after the wheel emptied, neither fires nor hides the timer that reuses its place")
    func staleIDAfterEmptyWheel() {
        var wheel = TimerWheel<Int>(now: 0, slotCount: 8)
        let cancelled = wheel.schedule(at: 5, 1)
        #expect(wheel.cancel(cancelled) == 1)
        #expect(wheel.advance(to: 100).isEmpty)
        // Same slot (109 & 7 == 5) and same slab place as the cancelled timer.
        let reused = wheel.schedule(at: 109, 2)
        let fired = wheel.advance(to: 120)
        #expect(fired.map(\.payload) == [2])
        #expect(fired.map(\.id) == [reused])
        #expect(wheel.count == 0)
    }
}
