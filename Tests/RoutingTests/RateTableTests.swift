import Testing

@testable import Routing

@Suite("Rate table: longest prefix per carrier") struct RateTableTests {
    static func rate(_ micro: Int64) -> Rate { Rate(perMinute: Money(microUnits: micro)) }
    static func number(_ digits: String) -> E164Number { E164Number(digits: digits)! }
    static let noon2026 = UnixTime(seconds: CalendarDate(year: 2026, month: 6, day: 15)!.daysSinceEpoch * 86_400 + 43_200)

    static let decks = [
        RateDeck(carrier: "twilio", entries: [.init(prefix: "1", rate: rate(4500)), .init(prefix: "1415", rate: rate(4000))]),
        RateDeck(carrier: "vonage", entries: [.init(prefix: "1", rate: rate(5000)), .init(prefix: "14155", rate: rate(3000))]),
        RateDeck(carrier: "plivo", entries: [.init(prefix: "44", rate: rate(9000))]),
    ]

    @Test("Least-cost routing rule: each carrier's own longest matching prefix gives its rate")
    func longestPerCarrier() throws {
        let table = try RateTable(decks: Self.decks)
        let sf = table.rates(for: Self.number("14155550123"), at: Self.noon2026)
        #expect(sf.map(\.carrier) == ["twilio", "vonage"])
        #expect(sf[0].prefix == "1415" && sf[0].rate == Self.rate(4000))
        #expect(sf[1].prefix == "14155" && sf[1].rate == Self.rate(3000))
        let ny = table.rates(for: Self.number("12125550123"), at: Self.noon2026)
        #expect(ny.map(\.prefix) == ["1", "1"])
        #expect(table.rates(for: Self.number("442079460000"), at: Self.noon2026).map(\.carrier) == ["plivo"])
        #expect(table.rates(for: Self.number("33123456789"), at: Self.noon2026).isEmpty)
    }

    @Test("Effective dates: a prefix whose rates all start later falls back to a shorter prefix")
    func futurePrefix() throws {
        let later = CalendarDate(year: 2027, month: 1, day: 1)!
        let deck = RateDeck(
            carrier: "twilio",
            entries: [
                .init(prefix: "1", rate: Self.rate(4500)),
                .init(prefix: "1415", rate: Self.rate(1000), effective: later),
                .init(prefix: "1", rate: Self.rate(4400), effective: CalendarDate(year: 2026, month: 6, day: 15)),
            ])
        let table = try RateTable(decks: [deck])
        let now = table.rates(for: Self.number("14155550123"), at: Self.noon2026)
        #expect(now.map(\.prefix) == ["1"] && now[0].rate == Self.rate(4400))
        let dayBefore = UnixTime(seconds: Self.noon2026.seconds - 86_400)
        #expect(table.rates(for: Self.number("14155550123"), at: dayBefore)[0].rate == Self.rate(4500))
        let next = UnixTime(seconds: later.daysSinceEpoch * 86_400)
        #expect(table.rates(for: Self.number("14155550123"), at: next)[0].rate == Self.rate(1000))
    }

    @Test("Decks must name distinct carriers and hold digit prefixes")
    func buildErrors() {
        #expect(throws: RateTableError.duplicateCarrier("a")) {
            try RateTable(decks: [RateDeck(carrier: "a", entries: []), RateDeck(carrier: "a", entries: [])])
        }
        #expect(throws: RateTableError.invalidPrefix(carrier: "a", "1x")) {
            try RateTable(decks: [RateDeck(carrier: "a", entries: [.init(prefix: "1x", rate: Self.rate(1))])])
        }
    }

    @Test("More effective dates for one prefix of one carrier than an entry counts is refused, not cut short")
    func tooManyDates() {
        let entries = (0..<65_536).map {
            RateDeck.Entry(prefix: "44", rate: Self.rate(1), effective: CalendarDate(daysSinceEpoch: Int64($0)))
        }
        #expect(throws: RateTableError.tooManyEffectiveDates(carrier: "a", "44")) {
            try RateTable(decks: [RateDeck(carrier: "a", entries: entries)])
        }
        #expect(throws: Never.self) { try RateTable(decks: [RateDeck(carrier: "a", entries: Array(entries.dropLast()))]) }
    }

    @Test("A prefix repeated with the same effective date in a deck built in memory: the later row wins")
    func laterRowWins() throws {
        let deck = RateDeck(carrier: "a", entries: [.init(prefix: "44", rate: Self.rate(1)), .init(prefix: "44", rate: Self.rate(2))])
        let rates = try RateTable(decks: [deck]).rates(for: Self.number("442079460000"), at: Self.noon2026)
        #expect(rates.map(\.rate) == [Self.rate(2)])
    }

    @Test("A million generated prefixes: the trie agrees with a per-carrier longest-prefix scan")
    func millionPrefixes() throws {
        var generator = SplitMix64(seed: 0x5EED)
        let carriers = ["twilio", "vonage", "plivo", "bandwidth"]
        let countryCodes: [[UInt8]] = ["1", "44", "33", "49", "7", "86"].map { Array($0.utf8) }
        var sets: [[String: Int64]] = Array(repeating: [:], count: carriers.count)
        var entries: [[RateDeck.Entry]] = Array(repeating: [], count: carriers.count)
        var total = 0
        while total < 1_000_000 {
            let c = Int(generator.next() % UInt64(carriers.count))
            // 1 to 9 digits under a few country codes, so that carriers' prefixes overlap and nest.
            var bytes = countryCodes[Int(generator.next() % 6)]
            for _ in 0..<Int(generator.next() % 8) { bytes.append(0x30 + UInt8(generator.next() % 10)) }
            let prefix = String(decoding: bytes, as: UTF8.self)
            guard sets[c][prefix] == nil else { continue }
            let micro = Int64(generator.next() % 100_000 + 1)
            sets[c][prefix] = micro
            entries[c].append(.init(prefix: prefix, rate: Self.rate(micro)))
            total += 1
        }
        let decks = zip(carriers, entries).map { RateDeck(carrier: $0, entries: $1) }
        let table = try RateTable(decks: decks)
        var lookup = RateLookup(carrierCount: carriers.count)
        var checked = 0
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            var bytes = countryCodes[Int(generator.next() % 6)]
            while bytes.count < 11 { bytes.append(0x30 + UInt8(generator.next() % 10)) }
            let digits = String(decoding: bytes, as: UTF8.self)
            bytes.withUnsafeBufferPointer { table.lookup(digits: $0, day: 0, into: &lookup) }
            for c in 0..<carriers.count {
                var expected: (length: Int, micro: Int64)?
                for length in stride(from: digits.count, through: 1, by: -1) {
                    if let micro = sets[c][String(digits.prefix(length))] {
                        expected = (length, micro)
                        break
                    }
                }
                let index = lookup.rateIndex[c]
                let found = index < 0 ? nil : (Int(lookup.prefixLength[c]), table.rate(at: index).perMinute.microUnits)
                if found?.0 != expected?.length || found?.1 != expected?.micro {
                    mismatches.append("\(digits) \(carriers[c]): \(String(describing: found)) != \(String(describing: expected))")
                }
                if expected != nil { checked += 1 }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
        // Most lookups must have found something, or the comparison proves little.
        #expect(checked > 40_000)
    }
}
