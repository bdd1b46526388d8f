/// A binary min-heap of binding expiry times, so expiring bindings costs
/// time in the number that lapse, not in the number registered.
///
/// Every live binding has an entry no later than its expiry. A refresh that
/// moves the expiry later adds none (the owner re-queues the binding when
/// its earlier entry surfaces), and entries are not removed when a binding
/// is deleted: the owner discards an entry whose binding is gone when it
/// surfaces, and rebuilds the heap if stale entries ever pile up.
struct ExpiryHeap: Sendable {
    struct Entry: Sendable {
        var expiresAt: Double
        var aor: AddressOfRecord
        var key: String
    }

    private(set) var entries: [Entry] = []

    var count: Int { entries.count }
    var earliest: Entry? { entries.first }

    mutating func push(_ e: Entry) {
        entries.append(e)
        var i = entries.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard entries[i].expiresAt < entries[parent].expiresAt else { break }
            entries.swapAt(i, parent)
            i = parent
        }
    }

    mutating func pop() -> Entry? {
        guard !entries.isEmpty else { return nil }
        entries.swapAt(0, entries.count - 1)
        let top = entries.removeLast()
        siftDown(from: 0)
        return top
    }

    /// Replaces the entries, heapifying bottom-up in linear time.
    mutating func rebuild(_ live: [Entry]) {
        entries = live
        var i = entries.count / 2
        while i > 0 {
            i -= 1
            siftDown(from: i)
        }
    }

    private mutating func siftDown(from start: Int) {
        var i = start
        while true {
            let l = 2 * i + 1
            let r = l + 1
            var smallest = i
            if l < entries.count, entries[l].expiresAt < entries[smallest].expiresAt { smallest = l }
            if r < entries.count, entries[r].expiresAt < entries[smallest].expiresAt { smallest = r }
            if smallest == i { return }
            entries.swapAt(i, smallest)
            i = smallest
        }
    }
}
