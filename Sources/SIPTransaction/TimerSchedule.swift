/// Identifies one scheduled timer of a ``TimerWheel``: an index into the
/// wheel's slab and the generation of that place.
public struct TimerWheelID: Hashable, Sendable {
    let index: Int32
    let generation: UInt32
}

/// The payload-free part of a ``TimerWheel``: the slots, the slab of
/// deadlines and generations, and the ready list.
///
/// It is not generic, so its loops over slots run as concrete code in every
/// module that uses a wheel; only the payloads live in the generic wheel.
struct TimerSchedule {
    private var slots: [[TimerWheelID]]
    let mask: Int64
    private var deadlines: [Int64] = []
    private var generations: [UInt32] = []
    /// Whether the slab place holds a scheduled timer.
    private var occupied: [Bool] = []
    private var freeEntries: [Int32] = []
    private(set) var live = 0
    /// Due timers not yet handed out, in (deadline, scheduling) order, from `readyIndex` on.
    private var ready: [TimerWheelID] = []
    private var readyIndex = 0
    /// The time up to which every slot has been visited.
    private(set) var now: Int64

    init(now: Int64, slotCount: Int) {
        precondition(slotCount > 0 && slotCount & (slotCount - 1) == 0, "slotCount must be a power of two")
        self.now = now
        mask = Int64(slotCount - 1)
        slots = Array(repeating: [], count: slotCount)
    }

    /// Takes a slab place for a timer due at `deadline` and files it; the caller stores its payload at `id.index`.
    mutating func schedule(at deadline: Int64) -> TimerWheelID {
        let index: Int32
        if let reused = freeEntries.popLast() {
            index = reused
        } else {
            index = Int32(deadlines.count)
            deadlines.append(0)
            generations.append(0)
            occupied.append(false)
        }
        let i = Int(index)
        deadlines[i] = deadline
        occupied[i] = true
        live += 1
        let id = TimerWheelID(index: index, generation: generations[i])
        if deadline <= now {
            var r = ready.count
            while r > readyIndex, let previous = self.deadline(ready[r - 1]), previous > deadline { r -= 1 }
            ready.insert(id, at: r)
        } else {
            slots[Int(deadline & mask)].append(id)
        }
        return id
    }

    /// The deadline of the live timer `id` names, nil once it fired or was cancelled.
    func deadline(_ id: TimerWheelID) -> Int64? {
        let i = Int(id.index)
        guard generations[i] == id.generation, occupied[i] else { return nil }
        return deadlines[i]
    }

    /// Frees the place `id` names and returns its deadline, nil when it is already gone.
    mutating func remove(_ id: TimerWheelID) -> Int64? {
        let i = Int(id.index)
        guard generations[i] == id.generation, occupied[i] else { return nil }
        occupied[i] = false
        generations[i] &+= 1
        freeEntries.append(id.index)
        live -= 1
        return deadlines[i]
    }

    /// The earliest timer due at or before `time`, freed, or nil when none is
    /// left (then `now` is `time`).
    mutating func popDue(upTo time: Int64) -> (id: TimerWheelID, deadline: Int64)? {
        while true {
            while readyIndex < ready.count {
                let id = ready[readyIndex]
                readyIndex += 1
                if let deadline = remove(id) { return (id, deadline) }
            }
            if !ready.isEmpty { ready.removeAll(keepingCapacity: true) }
            readyIndex = 0
            guard now < time else { return nil }
            if live == 0 {
                // Slots may still hold ids of cancelled timers: they never match a later timer
                // (its generation differs) and go when their slot is next visited.
                now = time
                return nil
            }
            if time - now > mask, let earliest = earliestDeadline(), earliest - 1 > now {
                // Nothing is due before `earliest`: skip the empty turns.
                now = min(earliest - 1, time)
                continue
            }
            now += 1
            visit(slot: Int(now & mask))
        }
    }

    private func earliestDeadline() -> Int64? {
        var earliest: Int64?
        for i in deadlines.indices where occupied[i] {
            if earliest.map({ deadlines[i] < $0 }) ?? true { earliest = deadlines[i] }
        }
        return earliest
    }

    /// Moves the timers of one slot that are due now to `ready`; keeps later turns' timers.
    private mutating func visit(slot: Int) {
        guard !slots[slot].isEmpty else { return }
        // Filtered in place, taken out of `slots` so that no copy is made.
        var ids: [TimerWheelID] = []
        swap(&ids, &slots[slot])
        var kept = 0
        for position in ids.indices {
            let id = ids[position]
            guard let deadline = deadline(id) else { continue }
            if deadline <= now {
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
