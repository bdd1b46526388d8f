/// A weighted order without replacement: each position is drawn among the
/// remaining items with probability proportional to weight. Items of weight
/// zero keep their order after all others.
enum WeightedOrder {
    static func shuffle<T>(_ items: [T], weight: (T) -> Int, using generator: inout SplitMix64) -> [T] {
        guard items.count > 1 else { return items }
        var pool = items.filter { weight($0) > 0 }
        let zero = items.filter { weight($0) <= 0 }
        var out: [T] = []
        out.reserveCapacity(items.count)
        while !pool.isEmpty {
            let total = pool.reduce(UInt64(0)) { $0 + UInt64(weight($1)) }
            var draw = generator.next() % total
            var pick = 0
            while draw >= UInt64(weight(pool[pick])) {
                draw -= UInt64(weight(pool[pick]))
                pick += 1
            }
            out.append(pool.remove(at: pick))
        }
        return out + zero
    }
}

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny deterministic generator, so
/// that one random value from the caller decides a whole weighted order.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
