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
/// stale id never reaches a later timer.
///
/// A value, not thread-safe: it belongs to its shard's transaction layer.
public struct TimerWheel<Payload> {
    /// Identifies one scheduled timer, for cancelling it.
    public struct TimerID: Hashable, Sendable {
        let index: Int32
        let generation: UInt32
    }

    /// One due timer.
    public struct Due {
        public let id: TimerID
        public let deadline: Int64
        public let payload: Payload
    }

    private struct Entry {
        var generation: UInt32 = 0
        var deadline: Int64 = 0
        /// nil while the entry is free.
        var payload: Payload?
    }

    private var slots: [[TimerID]]
    private let mask: Int64
    private var entries: [Entry] = []
    private var freeEntries: [Int32] = []
    private var live = 0
    /// Due timers not yet handed out, in (deadline, scheduling) order, from `readyIndex` on.
    private var ready: [TimerID] = []
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
    public var count: Int { live }

    /// Schedules `payload` to fire at `deadline` (milliseconds on the layer's clock).
    /// A deadline not after `now` fires at the next `popDue`.
    @discardableResult
    public mutating func schedule(at deadline: Int64, _ payload: Payload) -> TimerID {
        let index: Int32
        if let reused = freeEntries.popLast() {
            index = reused
        } else {
            index = Int32(entries.count)
            entries.append(Entry())
        }
        entries[Int(index)].deadline = deadline
        entries[Int(index)].payload = payload
        live += 1
        let id = TimerID(index: index, generation: entries[Int(index)].generation)
        if deadline <= now {
            var i = ready.count
            while i > readyIndex, let previous = entry(ready[i - 1]), previous.deadline > deadline { i -= 1 }
            ready.insert(id, at: i)
        } else {
            slots[Int(deadline & mask)].append(id)
            slotsMayHoldStaleIDs = true
        }
        return id
    }

    /// Cancels a timer; returns its payload if it had not fired yet.
    @discardableResult
    public mutating func cancel(_ id: TimerID) -> Payload? {
        remove(id)?.payload
    }

    /// The live entry `id` names, nil once it fired or was cancelled.
    private func entry(_ id: TimerID) -> (deadline: Int64, payload: Payload)? {
        let e = entries[Int(id.index)]
        guard e.generation == id.generation, let payload = e.payload else { return nil }
        return (e.deadline, payload)
    }

    /// Frees the entry `id` names and returns it, nil when it is already gone.
    private mutating func remove(_ id: TimerID) -> (deadline: Int64, payload: Payload)? {
        let i = Int(id.index)
        guard entries[i].generation == id.generation, let payload = entries[i].payload else { return nil }
        let deadline = entries[i].deadline
        entries[i].payload = nil
        entries[i].generation &+= 1
        freeEntries.append(id.index)
        live -= 1
        return (deadline, payload)
    }

    /// The earliest timer due at or before `time`, removed from the wheel, or
    /// nil when none is left (then `now` is `time`).
    public mutating func popDue(upTo time: Int64) -> Due? {
        while true {
            while readyIndex < ready.count {
                let id = ready[readyIndex]
                readyIndex += 1
                if let entry = remove(id) {
                    return Due(id: id, deadline: entry.deadline, payload: entry.payload)
                }
            }
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
            guard now < time else { return nil }
            if live == 0 {
                if slotsMayHoldStaleIDs {
                    for i in slots.indices where !slots[i].isEmpty { slots[i].removeAll() }
                    slotsMayHoldStaleIDs = false
                }
                now = time
                return nil
            }
            if time - now > mask, let earliest = entries.lazy.filter({ $0.payload != nil }).map(\.deadline).min(), earliest - 1 > now {
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
        // Filtered in place, taken out of `slots` so that no copy is made.
        var ids: [TimerID] = []
        swap(&ids, &slots[slot])
        var kept = 0
        for position in ids.indices {
            let id = ids[position]
            guard let entry = entry(id) else { continue }
            if entry.deadline <= now {
                ready.append(id)
            } else {
                ids[kept] = id
                kept += 1
            }
        }
        ids.removeLast(ids.count - kept)
        swap(&ids, &slots[slot])
    }
}
