/// A hashed timer wheel with one slot per millisecond, as each shard keeps
/// one: scheduling and cancelling are O(1), and due timers come out in
/// deadline order (ties in scheduling order).
///
/// `popDue(upTo:)` hands out one timer at a time, so a timer scheduled while
/// another is handled still fires in order within the same advance. A
/// deadline further away than one turn of the wheel stays in its slot until
/// the turn that reaches it. Cancelled timers leave a stale id in their slot,
/// dropped when the slot is next visited.
///
/// Timers live in a slab (an array with a free list) and an id is its index
/// plus a generation, so scheduling, cancelling and firing are array
/// accesses with no hashing; a reused index gets a new generation, so a
/// stale id never reaches a later timer. The slots and slab live in a
/// non-generic ``TimerSchedule``; the wheel keeps only the payloads.
///
/// A value, not thread-safe: it belongs to its shard's transaction layer.
public struct TimerWheel<Payload> {
    /// Identifies one scheduled timer, for cancelling it.
    public typealias TimerID = TimerWheelID

    /// One due timer.
    public struct Due {
        public let id: TimerID
        public let deadline: Int64
        public let payload: Payload
    }

    private var schedule: TimerSchedule
    /// The payload of each slab place, nil while the place is free.
    private var payloads: [Payload?] = []

    /// The time up to which every slot has been visited.
    public var now: Int64 { schedule.now }

    /// A wheel starting at `now`; `slotCount` (a power of two) is one turn in milliseconds.
    /// The default turn (32.8 s) holds RFC 3261's longest timers (B, F, H, J: 64·T1) without a second visit.
    public init(now: Int64 = 0, slotCount: Int = 32768) {
        schedule = TimerSchedule(now: now, slotCount: slotCount)
    }

    /// The number of timers scheduled and not yet fired or cancelled.
    public var count: Int { schedule.live }

    /// Schedules `payload` to fire at `deadline` (milliseconds on the layer's clock).
    /// A deadline not after `now` fires at the next `popDue`.
    @discardableResult
    public mutating func schedule(at deadline: Int64, _ payload: Payload) -> TimerID {
        let id = schedule.schedule(at: deadline)
        let i = Int(id.index)
        if i == payloads.count { payloads.append(payload) } else { payloads[i] = payload }
        return id
    }

    /// Cancels a timer; returns its payload if it had not fired yet.
    @discardableResult
    public mutating func cancel(_ id: TimerID) -> Payload? {
        guard schedule.remove(id) != nil else { return nil }
        return takePayload(id)
    }

    /// The earliest timer due at or before `time`, removed from the wheel, or
    /// nil when none is left (then `now` is `time`).
    public mutating func popDue(upTo time: Int64) -> Due? {
        guard let (id, deadline) = schedule.popDue(upTo: time), let payload = takePayload(id) else { return nil }
        return Due(id: id, deadline: deadline, payload: payload)
    }

    private mutating func takePayload(_ id: TimerID) -> Payload? {
        let i = Int(id.index)
        let payload = payloads[i]
        payloads[i] = nil
        return payload
    }

    /// Fires every timer due at or before `time`, in deadline order, and
    /// returns them; `now` becomes `time`.
    public mutating func advance(to time: Int64) -> [Due] {
        var fired: [Due] = []
        while let due = popDue(upTo: time) { fired.append(due) }
        return fired
    }
}
