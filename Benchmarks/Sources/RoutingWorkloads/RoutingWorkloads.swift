import Routing

/// A least-cost routing table shaped like a large deployment: four carriers,
/// one million prefixes of 2 to 10 digits under the busiest country codes,
/// nested so that a lookup passes several prefixes of several carriers.
/// Generated from a fixed seed: every run measures the same table.
public struct RoutingWorkload: Sendable {
    public let router: LeastCostRouter
    /// Numbers to look up, as ASCII digits, cycled through by the benchmarks.
    public let numbers: [[UInt8]]
    public let e164: [E164Number]
    public let time: UnixTime

    public init(prefixCount: Int = 1_000_000, numberCount: Int = 4096) {
        var state: UInt64 = 0x5EED_CAFE
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let countryCodes: [[UInt8]] = ["1", "44", "33", "49", "52", "55", "86", "91"].map { Array($0.utf8) }
        let carriers = ["twilio", "vonage", "plivo", "bandwidth"]
        var entries: [[RateDeck.Entry]] = Array(repeating: [], count: carriers.count)
        var seen = Set<[UInt8]>()
        var made = 0
        while made < prefixCount {
            let c = Int(next() % UInt64(carriers.count))
            var digits = countryCodes[Int(next() % UInt64(countryCodes.count))]
            for _ in 0..<Int(next() % 9) { digits.append(0x30 + UInt8(next() % 10)) }
            guard seen.insert(digits + [UInt8(c)]).inserted else { continue }
            let rate = Rate(perMinute: Money(microUnits: Int64(next() % 50_000 + 1000)), increment: .perMinute)
            entries[c].append(.init(prefix: String(decoding: digits, as: UTF8.self), rate: rate))
            made += 1
        }
        let decks = zip(carriers, entries).map { RateDeck(carrier: $0, entries: $1) }
        router = LeastCostRouter(table: try! RateTable(decks: decks))
        var numbers: [[UInt8]] = []
        for _ in 0..<numberCount {
            var digits = countryCodes[Int(next() % UInt64(countryCodes.count))]
            while digits.count < 12 { digits.append(0x30 + UInt8(next() % 10)) }
            numbers.append(digits)
        }
        self.numbers = numbers
        e164 = numbers.map { E164Number(digits: String(decoding: $0, as: UTF8.self))! }
        time = UnixTime(seconds: 1_790_000_000)
    }
}
