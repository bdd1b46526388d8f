/// All carriers' rate decks compiled into one digit trie in flat arrays, so
/// that one walk down a number's digits finds every carrier's longest
/// matching prefix. Built once per configuration snapshot; lookups allocate
/// nothing when given a reused `RateLookup`.
///
/// Nodes keep a 10-bit child mask and the index of their first child;
/// siblings are contiguous, so a child is `firstChild + popcount(mask below
/// digit)`. A node's entries say, per carrier that prices that exact prefix,
/// where its rates (ascending effective day) are.
public struct RateTable: Sendable {
    struct Node: Sendable {
        var childMask: UInt16 = 0
        var entryCount: UInt16 = 0
        var firstChild: Int32 = 0
        var entryStart: Int32 = 0
    }

    struct Entry: Sendable {
        var carrier: UInt16
        var rateCount: UInt16
        var rateStart: Int32
        /// Effective day of the schedule's first rate, clamped to Int32, so
        /// that the common single-rate case never touches `rates`.
        var firstDay: Int32
    }

    struct ScheduledRate: Sendable {
        /// UTC day from which the rate applies; `Int64.min` for always.
        var day: Int64
        var rate: Rate
    }

    /// Carrier names, in deck order; a carrier's index in lookups is its position here.
    public let carriers: [String]
    var nodes: [Node]
    var entries: [Entry]
    var rates: [ScheduledRate]

    /// Number of trie nodes (the root included).
    public var nodeCount: Int { nodes.count }

    /// Compiles `decks`, one per carrier. When a deck repeats a prefix with the
    /// same effective date the later row wins.
    public init(decks: [RateDeck]) throws(RateTableError) {
        var names: [String] = []
        var seen: Set<String> = []
        for deck in decks {
            guard seen.insert(deck.carrier).inserted else { throw .duplicateCarrier(deck.carrier) }
            names.append(deck.carrier)
        }
        guard names.count <= Int(UInt16.max) else { throw .tooManyCarriers(names.count) }
        carriers = names

        var rows: [Row] = []
        rows.reserveCapacity(decks.reduce(0) { $0 + $1.entries.count })
        var rateValues: [Rate] = []
        rateValues.reserveCapacity(rows.capacity)
        for (c, deck) in decks.enumerated() {
            for entry in deck.entries {
                guard let key = Self.key(entry.prefix) else { throw .invalidPrefix(carrier: deck.carrier, entry.prefix) }
                rows.append(
                    Row(
                        key: key, length: UInt8(entry.prefix.utf8.count), carrier: UInt16(c),
                        day: entry.effective?.daysSinceEpoch ?? Int64.min, order: Int32(rateValues.count)))
                rateValues.append(entry.rate)
            }
        }
        rows = Self.sorted(rows)

        var builder = Builder(rateValues: rateValues)
        builder.nodes.append(Node())
        rows.withUnsafeBufferPointer { builder.build(node: 0, rows: $0, range: 0..<$0.count, depth: 0) }
        nodes = builder.nodes
        entries = builder.entries
        rates = builder.rates
    }

    /// The stored rate at an index a `RateLookup` holds.
    public func rate(at index: Int32) -> Rate { rates[Int(index)].rate }

    /// Fills `lookup` with each carrier's rate for the longest of its prefixes
    /// that matches `digits` (ASCII digits, E.164 without `+`) and has a rate in
    /// force on UTC day `day`. A prefix whose rates all start later is skipped
    /// in favour of a shorter one.
    public func lookup(digits: UnsafeBufferPointer<UInt8>, day: Int64, into lookup: inout RateLookup) {
        lookup.reset(carrierCount: carriers.count)
        nodes.withUnsafeBufferPointer { nodes in
            entries.withUnsafeBufferPointer { entries in
                rates.withUnsafeBufferPointer { rates in
                    var node = nodes[0]
                    var depth: UInt8 = 0
                    for byte in digits {
                        let digit = byte &- 0x30
                        guard digit < 10, node.childMask & (1 << digit) != 0 else { return }
                        let below = node.childMask & ((1 << digit) &- 1)
                        node = nodes[Int(node.firstChild) + below.nonzeroBitCount]
                        depth += 1
                        guard node.entryCount > 0 else { continue }
                        let start = Int(node.entryStart)
                        for e in start..<start + Int(node.entryCount) {
                            let entry = entries[e]
                            if entry.rateCount == 1 {
                                if Int64(entry.firstDay) <= day {
                                    lookup.set(carrier: Int(entry.carrier), rateIndex: entry.rateStart, prefixLength: depth)
                                }
                                continue
                            }
                            var r = Int(entry.rateStart) + Int(entry.rateCount) - 1
                            while r >= Int(entry.rateStart) && rates[r].day > day { r -= 1 }
                            if r >= Int(entry.rateStart) {
                                lookup.set(carrier: Int(entry.carrier), rateIndex: Int32(r), prefixLength: depth)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Each carrier's rate for `number` at `time`, in carrier order.
    public func rates(for number: E164Number, at time: UnixTime) -> [CarrierRate] {
        var result = RateLookup(carrierCount: carriers.count)
        var digits = number.digits
        digits.withUTF8 { lookup(digits: $0, day: time.day(), into: &result) }
        return carrierRates(result, number: number)
    }

    /// The matches of `lookup` as values.
    public func carrierRates(_ lookup: RateLookup, number: E164Number) -> [CarrierRate] {
        var out: [CarrierRate] = []
        for c in 0..<carriers.count {
            let index = lookup.rateIndex[c]
            guard index >= 0 else { continue }
            out.append(
                CarrierRate(
                    carrier: carriers[c], carrierIndex: c,
                    prefix: String(number.digits.prefix(Int(lookup.prefixLength[c]))), rate: rates[Int(index)].rate))
        }
        return out
    }

    /// A prefix as a base-11 number, digit d as d+1, padded to 15 positions:
    /// sorting keys sorts prefixes lexicographically, a prefix before its extensions.
    static func key(_ prefix: String) -> UInt64? {
        let utf8 = prefix.utf8
        guard !utf8.isEmpty, utf8.count <= E164Number.maximumDigits else { return nil }
        var key: UInt64 = 0
        for b in utf8 {
            guard b >= 0x30, b <= 0x39 else { return nil }
            key = key * 11 + UInt64(b - 0x30 + 1)
        }
        for _ in utf8.count..<E164Number.maximumDigits { key *= 11 }
        return key
    }

    static let powersOf11: [UInt64] = (0..<E164Number.maximumDigits).map { n in
        (0..<n).reduce(UInt64(1)) { acc, _ in acc * 11 }
    }

    /// Rows by prefix (shortest first), carrier, effective day, then deck
    /// order: a stable LSD radix sort on prefix key and carrier, then the short
    /// runs of one prefix and carrier by day. Linear in the row count, so a
    /// million-prefix reload stays cheap.
    static func sorted(_ rows: [Row]) -> [Row] {
        let n = rows.count
        guard n > 1 else { return rows }
        // The key takes 52 bits (11^15 < 2^52), the carrier the low 12 when it fits.
        let carrierBits = rows.contains { $0.carrier >= 1 << 12 } ? 16 : 12
        var keys = rows.map { $0.key << UInt64(carrierBits) | UInt64($0.carrier) }
        var order = Array(0..<Int32(n))
        var scratchKeys = keys
        var scratchOrder = order
        let passes = carrierBits == 12 ? 4 : 5
        for pass in 0..<passes {
            let shift = UInt64(pass * 16)
            var counts = [Int](repeating: 0, count: 1 << 16 + 1)
            keys.withUnsafeBufferPointer { keys in
                counts.withUnsafeMutableBufferPointer { counts in
                    for k in keys { counts[Int(truncatingIfNeeded: k >> shift) & 0xFFFF + 1] += 1 }
                    for i in 1..<counts.count { counts[i] += counts[i - 1] }
                }
            }
            keys.withUnsafeBufferPointer { keys in
                order.withUnsafeBufferPointer { order in
                    scratchKeys.withUnsafeMutableBufferPointer { outKeys in
                        scratchOrder.withUnsafeMutableBufferPointer { outOrder in
                            counts.withUnsafeMutableBufferPointer { counts in
                                for i in 0..<n {
                                    let bucket = Int(truncatingIfNeeded: keys[i] >> shift) & 0xFFFF
                                    let slot = counts[bucket]
                                    counts[bucket] = slot + 1
                                    outKeys[slot] = keys[i]
                                    outOrder[slot] = order[i]
                                }
                            }
                        }
                    }
                }
            }
            swap(&keys, &scratchKeys)
            swap(&order, &scratchOrder)
        }
        var out = order.map { rows[Int($0)] }
        var start = 0
        while start < n {
            var end = start + 1
            while end < n, keys[end] == keys[start] { end += 1 }
            if end - start > 1 {
                out[start..<end].sort { $0.day != $1.day ? $0.day < $1.day : $0.order < $1.order }
            }
            start = end
        }
        return out
    }

    struct Row {
        var key: UInt64
        var length: UInt8
        var carrier: UInt16
        var day: Int64
        var order: Int32
    }

    struct Builder {
        let rateValues: [Rate]
        var nodes: [Node] = []
        var entries: [Entry] = []
        var rates: [ScheduledRate] = []

        /// `rows[range]` share the node's first `depth` digits; rows of exactly that length come first.
        mutating func build(node: Int, rows: UnsafeBufferPointer<Row>, range: Range<Int>, depth: Int) {
            var i = range.lowerBound
            if i < range.upperBound, Int(rows[i].length) == depth {
                nodes[node].entryStart = Int32(entries.count)
                while i < range.upperBound, Int(rows[i].length) == depth {
                    let carrier = rows[i].carrier
                    let start = rates.count
                    while i < range.upperBound, Int(rows[i].length) == depth, rows[i].carrier == carrier {
                        let scheduled = ScheduledRate(day: rows[i].day, rate: rateValues[Int(rows[i].order)])
                        if rates.count > start, rates[rates.count - 1].day == scheduled.day {
                            rates[rates.count - 1] = scheduled
                        } else {
                            rates.append(scheduled)
                        }
                        i += 1
                    }
                    let firstDay = Int32(clamping: rates[start].day)
                    entries.append(
                        Entry(carrier: carrier, rateCount: UInt16(rates.count - start), rateStart: Int32(start), firstDay: firstDay))
                    nodes[node].entryCount += 1
                }
            }
            guard i < range.upperBound else { return }
            let divisor = RateTable.powersOf11[E164Number.maximumDigits - 1 - depth]
            @inline(__always) func digit(_ row: Int) -> Int { Int(rows[row].key / divisor % 11) - 1 }
            // Rows are sorted, so each digit's rows are one run: count the runs, then visit them.
            var mask: UInt16 = 0
            for r in i..<range.upperBound { mask |= 1 << UInt16(digit(r)) }
            let first = nodes.count
            nodes[node].firstChild = Int32(first)
            nodes[node].childMask = mask
            for _ in 0..<mask.nonzeroBitCount { nodes.append(Node()) }
            var child = first
            while i < range.upperBound {
                let d = digit(i)
                var end = i + 1
                while end < range.upperBound, digit(end) == d { end += 1 }
                build(node: child, rows: rows, range: i..<end, depth: depth + 1)
                child += 1
                i = end
            }
        }
    }
}

/// Why decks could not be compiled into a table.
public enum RateTableError: Error, Sendable, Hashable {
    case duplicateCarrier(String)
    case invalidPrefix(carrier: String, String)
    case tooManyCarriers(Int)
}

/// One carrier's price for a number.
public struct CarrierRate: Sendable, Hashable {
    public var carrier: String
    /// The carrier's position in `RateTable.carriers`.
    public var carrierIndex: Int
    /// The longest of the carrier's prefixes that matched.
    public var prefix: String
    public var rate: Rate
}
