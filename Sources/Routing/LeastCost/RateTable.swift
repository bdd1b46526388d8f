/// All carriers' rate decks compiled into one digit trie in flat arrays, so
/// that one walk down a number's digits finds every carrier's longest
/// matching prefix. Built once per configuration snapshot, from the decks'
/// rows merged in prefix order; lookups allocate nothing when given a reused
/// `RateLookup`. Each deck's distinct rates are stored once (`rateValues`).
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
        /// Effective day and rate (index into `rateValues`) of the schedule's
        /// first entry, so that the common single-rate case never touches `rates`.
        var firstDay: Int32
        var firstRate: UInt32
    }

    struct ScheduledRate: Sendable {
        /// UTC day from which the rate applies; `RateDeck.always` for always.
        var day: Int32
        /// Index into `rateValues`.
        var rate: UInt32
    }

    /// Carrier names, in deck order; a carrier's index in lookups is its position here.
    public let carriers: [String]
    var nodes: [Node]
    var entries: [Entry]
    var rates: [ScheduledRate]
    /// Every deck's distinct rates, deck after deck.
    var rateValues: [Rate]

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
        for deck in decks {
            if let prefix = deck.invalidPrefix { throw .invalidPrefix(carrier: deck.carrier, prefix) }
        }
        carriers = names

        var rateValues: [Rate] = []
        rateValues.reserveCapacity(decks.reduce(0) { $0 + $1.rates.count })
        for deck in decks { rateValues += deck.rates }
        let rows = Self.merged(decks)

        var builder = Builder()
        builder.reserve(rows)
        builder.nodes.append(Node())
        rows.withUnsafeBufferPointer { builder.build(node: 0, rows: $0, range: 0..<$0.count, depth: 0) }
        if let (carrier, prefix) = builder.tooManyDates {
            throw .tooManyEffectiveDates(carrier: names[Int(carrier)], prefix.digits)
        }
        nodes = builder.nodes
        entries = builder.entries
        rates = builder.rates
        self.rateValues = rateValues
    }

    /// The stored rate at an index a `RateLookup` holds.
    public func rate(at index: Int32) -> Rate { rateValues[Int(index)] }

    /// Fills `lookup` with each carrier's rate for the longest of its prefixes
    /// that matches `digits` (ASCII digits, E.164 without `+`) and has a rate in
    /// force on UTC day `day`. A prefix whose rates all start later is skipped
    /// in favour of a shorter one.
    public func lookup(digits: UnsafeBufferPointer<UInt8>, day: Int64, into lookup: inout RateLookup) {
        // Rows without a date hold `RateDeck.always`, the least Int32: no earlier day is needed.
        let day = max(day, Int64(RateDeck.always))
        lookup.withClearedStorage(carrierCount: carriers.count) { rateIndex, prefixLength in
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
                                let carrier = Int(entry.carrier)
                                if entry.rateCount == 1 {
                                    if Int64(entry.firstDay) <= day {
                                        rateIndex[carrier] = Int32(bitPattern: entry.firstRate)
                                        prefixLength[carrier] = depth
                                    }
                                    continue
                                }
                                var r = Int(entry.rateStart) + Int(entry.rateCount) - 1
                                while r >= Int(entry.rateStart) && Int64(rates[r].day) > day { r -= 1 }
                                if r >= Int(entry.rateStart) {
                                    rateIndex[carrier] = Int32(bitPattern: rates[r].rate)
                                    prefixLength[carrier] = depth
                                }
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
                    prefix: String(number.digits.prefix(Int(lookup.prefixLength[c]))), rate: rate(at: index)))
        }
        return out
    }
}

/// Why decks could not be compiled into a table.
/// Why decks could not be compiled into a table.
public enum RateTableError: Error, Sendable, Hashable {
    case duplicateCarrier(String)
    case invalidPrefix(carrier: String, String)
    case tooManyCarriers(Int)
    /// More than 65 535 effective dates for one prefix of one carrier.
    case tooManyEffectiveDates(carrier: String, String)
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
