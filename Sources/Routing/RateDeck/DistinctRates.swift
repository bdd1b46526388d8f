/// The different rates of a deck, each stored once; rows refer to them by
/// index. A deck of a million prefixes has a few thousand distinct prices,
/// so rows stay small and the compiled table holds every rate once.
struct DistinctRates: Sendable {
    private(set) var values: [Rate] = []
    /// Open addressing, linear probing: index into `values` plus one, 0 for empty.
    private var slots: [UInt32]
    private var last: (rate: Rate, index: UInt32)?

    init(expectedCount: Int = 16) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = Array(repeating: 0, count: capacity)
    }

    /// The index of `rate`, added if new. Rows of a deck often repeat the
    /// previous row's rate, which is answered without hashing.
    @inline(__always)
    mutating func index(of rate: Rate) -> UInt32 {
        if let last, last.rate == rate { return last.index }
        let index = lookUp(rate)
        last = (rate, index)
        return index
    }

    private mutating func lookUp(_ rate: Rate) -> UInt32 {
        var mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(rate)) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { break }
            if values[Int(stored) - 1] == rate { return stored - 1 }
            slot = (slot + 1) & mask
        }
        let index = UInt32(values.count)
        values.append(rate)
        if values.count * 2 > slots.count {
            grow()
            mask = slots.count - 1
            slot = Int(truncatingIfNeeded: Self.hash(rate)) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
        }
        slots[slot] = index + 1
        return index
    }

    private mutating func grow() {
        var bigger = [UInt32](repeating: 0, count: slots.count * 2)
        let mask = bigger.count - 1
        // The newest value is placed by the caller.
        for (i, rate) in values.dropLast().enumerated() {
            var slot = Int(truncatingIfNeeded: Self.hash(rate)) & mask
            while bigger[slot] != 0 { slot = (slot + 1) & mask }
            bigger[slot] = UInt32(i + 1)
        }
        slots = bigger
    }

    /// SplitMix64-style mixing of the rate's four numbers.
    @inline(__always)
    static func hash(_ rate: Rate) -> UInt64 {
        var h = UInt64(bitPattern: rate.perMinute.microUnits) &* 0x9E37_79B9_7F4A_7C15
        h = (h ^ UInt64(bitPattern: rate.connectionFee.microUnits)) &* 0xBF58_476D_1CE4_E5B9
        h = (h ^ UInt64(truncatingIfNeeded: rate.increment.initial) &<< 32 ^ UInt64(truncatingIfNeeded: rate.increment.subsequent))
            &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }
}
