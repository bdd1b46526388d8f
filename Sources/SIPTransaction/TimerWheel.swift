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
/// A value, not thread-safe: it belongs to its shard's transaction layer.
public struct TimerWheel<Payload> {
    /// Identifies one scheduled timer, for cancelling it.
    public struct TimerID: Hashable, Sendable {
        let raw: UInt64
    }

    /// One due timer.
    public struct Due {
        public let id: TimerID
        public let deadline: Int64
        public let payload: Payload
    }

    private struct Entry {
        var deadline: Int64
        var payload: Payload
    }

    private var slots: [[UInt64]]
    private let mask: Int64
    private var entries: [UInt64: Entry] = [:]
    /// Ids grow monotonically, so they also order timers with equal deadlines.
    private var nextID: UInt64 = 1
    /// Due timers not yet handed out, in (deadline, id) order, from `readyIndex` on.
    private var ready: [UInt64] = []
    private var readyIndex = 0
    private var slotsMayHoldStaleIDs = false

    /// The time up to which every slot has been visited.
    public private(set) var now: Int64

    /// A wheel starting at `now`; `slotCount` (a power of two) is one turn in milliseconds.
    public init(now: Int64 = 0, slotCount: Int = 4096) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0, "slotCount must be a power of two")
        self.now = now
        mask = Int64(slotCount - 1)
        slots = Array(repeating: [], count: slotCount)
    }

    /// The number of timers scheduled and not yet fired or cancelled.
    public var count: Int { entries.count }

    /// Schedules `payload` to fire at `deadline` (milliseconds on the layer's clock).
    /// A deadline not after `now` fires at the next `popDue`.
    @discardableResult
    public mutating func schedule(at deadline: Int64, _ payload: Payload) -> TimerID {
        let id = nextID
        nextID += 1
        entries[id] = Entry(deadline: deadline, payload: payload)
        if deadline <= now {
            var i = ready.count
            while i > readyIndex, let previous = entries[ready[i - 1]], previous.deadline > deadline { i -= 1 }
            ready.insert(id, at: i)
        } else {
            slots[Int(deadline & mask)].append(id)
            slotsMayHoldStaleIDs = true
        }
        return TimerID(raw: id)
    }

    /// Cancels a timer; returns its payload if it had not fired yet.
    @discardableResult
    public mutating func cancel(_ id: TimerID) -> Payload? {
        entries.removeValue(forKey: id.raw)?.payload
    }

    /// The earliest timer due at or before `time`, removed from the wheel, or
    /// nil when none is left (then `now` is `time`).
    public mutating func popDue(upTo time: Int64) -> Due? {
        while true {
            while readyIndex < ready.count {
                let id = ready[readyIndex]
                readyIndex += 1
                if let entry = entries.removeValue(forKey: id) {
                    return Due(id: TimerID(raw: id), deadline: entry.deadline, payload: entry.payload)
                }
            }
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            guard now < time else { return nil }
            if entries.isEmpty {
                if slotsMayHoldStaleIDs {
                    for i in slots.indices where !slots[i].isEmpty { slots[i].removeAll() }
                    slotsMayHoldStaleIDs = false
                }
                now = time
                return nil
            }
            if time - now > mask, let earliest = entries.values.lazy.map(\.deadline).min(), earliest - 1 > now {
                // Nothing is due before `earliest`: skip the empty turns.
                now = min(earliest - 1, time)
                continue
            }
            now += 1
            visit(slot: Int(now & mask))
        }
    }

    /// Fires every timer due at or before `time`, in deadline order, and
    /// returns them; `now` becomes `time`.
    public mutating func advance(to time: Int64) -> [Due] {
        var fired: [Due] = []
        while let due = popDue(upTo: time) { fired.append(due) }
        return fired
    }

    /// Moves the timers of one slot that are due now to `ready`; keeps later turns' timers.
    private mutating func visit(slot: Int) {
        guard !slots[slot].isEmpty else { return }
        var kept: [UInt64] = []
        for id in slots[slot] {
            guard let entry = entries[id] else { continue }
            if entry.deadline <= now {
                ready.append(id)
            } else {
                kept.append(id)
            }
        }
        slots[slot] = kept
    }
}
