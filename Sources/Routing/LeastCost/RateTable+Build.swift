extension RateTable {
    /// One deck row on its way into the table.
    struct Row {
        var prefix: DestinationPrefix
        var day: Int32
        /// Index into the table's `rateValues`.
        var rate: UInt32
        var carrier: UInt16
    }

    /// Every deck's rows by prefix, carrier, effective day, then deck order:
    /// each deck is already in that order (`RateDeck.order`), so this is a
    /// k-way merge of the decks, a heap of one head per deck.
    static func merged(_ decks: [RateDeck]) -> [Row] {
        var rateOffsets: [UInt32] = []
        var offset: UInt32 = 0
        for deck in decks {
            rateOffsets.append(offset)
            offset += UInt32(deck.rates.count)
        }
        var out: [Row] = []
        out.reserveCapacity(decks.reduce(0) { $0 + $1.count })
        @inline(__always) func append(_ deck: Int, _ position: Int) {
            let row = decks[deck].rows[Int(decks[deck].order[position])]
            out.append(Row(prefix: row.prefix, day: row.day, rate: rateOffsets[deck] + row.rate, carrier: UInt16(deck)))
        }
        if decks.count == 1 {
            for position in 0..<decks[0].count { append(0, position) }
            return out
        }

        /// The next row of each unfinished deck, least (prefix, carrier) at the top.
        var heap: [(prefix: UInt64, deck: Int)] = []
        var next = [Int](repeating: 0, count: decks.count)
        func key(_ deck: Int) -> UInt64 { decks[deck].rows[Int(decks[deck].order[next[deck]])].prefix.packed }
        func less(_ a: (prefix: UInt64, deck: Int), _ b: (prefix: UInt64, deck: Int)) -> Bool {
            a.prefix != b.prefix ? a.prefix < b.prefix : a.deck < b.deck
        }
        func siftDown(_ heap: inout [(prefix: UInt64, deck: Int)]) {
            var i = 0
            while true {
                let left = 2 * i + 1
                guard left < heap.count else { return }
                var least = left
                if left + 1 < heap.count, less(heap[left + 1], heap[left]) { least = left + 1 }
                guard less(heap[least], heap[i]) else { return }
                heap.swapAt(i, least)
                i = least
            }
        }
        for deck in decks.indices where decks[deck].count > 0 {
            heap.append((key(deck), deck))
            var i = heap.count - 1
            while i > 0, less(heap[i], heap[(i - 1) / 2]) {
                heap.swapAt(i, (i - 1) / 2)
                i = (i - 1) / 2
            }
        }
        while let top = heap.first {
            append(top.deck, next[top.deck])
            next[top.deck] += 1
            if next[top.deck] < decks[top.deck].count {
                heap[0].prefix = key(top.deck)
            } else {
                heap[0] = heap[heap.count - 1]
                heap.removeLast()
            }
            siftDown(&heap)
        }
        return out
    }

    /// Fills the flat arrays from rows in `merged` order.
    struct Builder {
        var nodes: [Node] = []
        var entries: [Entry] = []
        var rates: [ScheduledRate] = []
        /// A carrier's prefix with more effective dates than an entry can count.
        var tooManyDates: (carrier: UInt16, prefix: DestinationPrefix)?

        /// Reserves exactly what `rows` will take: a node per digit not shared
        /// with the previous row, an entry per prefix and carrier, a rate per
        /// prefix, carrier and day.
        mutating func reserve(_ rows: [Row]) {
            var nodeCount = 1
            var entryCount = 0
            var rateCount = 0
            var previous: Row?
            for row in rows {
                let length = row.prefix.length
                guard let p = previous else {
                    nodeCount += length
                    entryCount += 1
                    rateCount += 1
                    previous = row
                    continue
                }
                nodeCount += length - min(length, p.prefix.commonLength(with: row.prefix))
                if p.prefix != row.prefix || p.carrier != row.carrier {
                    entryCount += 1
                    rateCount += 1
                } else if p.day != row.day {
                    rateCount += 1
                }
                previous = row
            }
            nodes.reserveCapacity(nodeCount)
            entries.reserveCapacity(entryCount)
            rates.reserveCapacity(rateCount)
        }

        /// `rows[range]` share the node's first `depth` digits; rows of exactly that length come first.
        mutating func build(node: Int, rows: UnsafeBufferPointer<Row>, range: Range<Int>, depth: Int) {
            var i = range.lowerBound
            if i < range.upperBound, rows[i].prefix.length == depth {
                nodes[node].entryStart = Int32(entries.count)
                while i < range.upperBound, rows[i].prefix.length == depth {
                    let carrier = rows[i].carrier
                    let start = rates.count
                    while i < range.upperBound, rows[i].prefix.length == depth, rows[i].carrier == carrier {
                        let scheduled = ScheduledRate(day: rows[i].day, rate: rows[i].rate)
                        if rates.count > start, rates[rates.count - 1].day == scheduled.day {
                            rates[rates.count - 1] = scheduled
                        } else {
                            rates.append(scheduled)
                        }
                        i += 1
                    }
                    if rates.count - start > Int(UInt16.max) {
                        if tooManyDates == nil { tooManyDates = (carrier, rows[i - 1].prefix) }
                        rates.removeLast(rates.count - start - Int(UInt16.max))
                    }
                    entries.append(
                        Entry(
                            carrier: carrier, rateCount: UInt16(rates.count - start), rateStart: Int32(start),
                            firstDay: rates[start].day, firstRate: rates[start].rate))
                    nodes[node].entryCount += 1
                }
            }
            guard i < range.upperBound else { return }
            // Rows are sorted, so each digit's rows are one run: note the digits, then visit the runs.
            var mask: UInt16 = 0
            for r in i..<range.upperBound { mask |= 1 << UInt16(rows[r].prefix.digit(at: depth)) }
            let first = nodes.count
            nodes[node].firstChild = Int32(first)
            nodes[node].childMask = mask
            for _ in 0..<mask.nonzeroBitCount { nodes.append(Node()) }
            var child = first
            while i < range.upperBound {
                let d = rows[i].prefix.digit(at: depth)
                var end = i + 1
                while end < range.upperBound, rows[end].prefix.digit(at: depth) == d { end += 1 }
                build(node: child, rows: rows, range: i..<end, depth: depth + 1)
                child += 1
                i = end
            }
        }
    }
}
