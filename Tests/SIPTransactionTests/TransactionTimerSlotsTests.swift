import Testing

@testable import SIPTransaction

@Suite("Server transaction timers held inline")
struct TransactionTimerSlotsTests {
    /// Distinct wheel ids, as the layer's wheel hands them out.
    static func ids(_ n: Int) -> [TimerWheel<Int>.TimerID] {
        var wheel = TimerWheel<Int>()
        return (0..<n).map { wheel.schedule(at: Int64($0 + 1), $0) }
    }

    @Test("17.2.1: Trying, G and H run together; setting a running timer replaces it and gives the old id back")
    func setReplaceRemove() {
        let id = Self.ids(5)
        var timers = TransactionTimerSlots()
        #expect(timers.updateValue(id[0], forKey: .trying) == nil)
        #expect(timers.updateValue(id[1], forKey: .g) == nil)
        #expect(timers.updateValue(id[2], forKey: .h) == nil)
        #expect(timers[.g] == id[1])
        #expect(timers.updateValue(id[3], forKey: .g) == id[1])
        #expect(timers[.g] == id[3])
        #expect(timers.removeValue(forKey: .trying) == id[0])
        #expect(timers[.trying] == nil)
        #expect(timers.removeValue(forKey: .trying) == nil)
        // A freed place is reused, and a name is never held twice.
        timers[.i] = id[4]
        #expect(Set(timers.values) == [id[3], id[2], id[4]])
        timers[.h] = nil
        #expect(Set(timers.values) == [id[3], id[4]])
    }

    @Test("17.2: more timers than the inline places are all kept and all cancelled")
    func beyondThree() {
        let id = Self.ids(6)
        var timers = TransactionTimerSlots()
        let names: [TransactionTimerName] = [.trying, .g, .h, .i, .j, .l]
        for (name, i) in zip(names, id) { timers[name] = i }
        for (name, i) in zip(names, id) { #expect(timers[name] == i) }
        #expect(Set(timers.values) == Set(id))
        #expect(timers.updateValue(id[0], forKey: .l) == id[5])
        #expect(timers.removeValue(forKey: .i) == id[3])
        #expect(timers.removeValue(forKey: .l) == id[0])
        #expect(Set(timers.values) == [id[0], id[1], id[2], id[4]])
    }
}
