import Testing

@testable import Routing

@Suite("Rate decks from CSV") struct RateDeckCSVTests {
    @Test("Least-cost routing rule: prefix, rate, increment, connection fee, effective date")
    func fullDeck() throws {
        let csv = """
            prefix,rate,increment,connection_fee,effective_date,description
            1,0.0045,60/60,,,USA
            1415,0.004,6/6,0.01,2026-01-01,San Francisco
            "44","0.012","1/1","",,"United Kingdom, all"
            """
        let deck = try RateDeck(carrier: "twilio", csv: csv)
        #expect(deck.entries.count == 3)
        #expect(deck.entries[0] == .init(prefix: "1", rate: Rate(perMinute: Money(microUnits: 4500))))
        #expect(
            deck.entries[1]
                == .init(
                    prefix: "1415",
                    rate: Rate(
                        perMinute: Money(microUnits: 4000), increment: BillingIncrement(initial: 6, subsequent: 6)!,
                        connectionFee: Money(microUnits: 10_000)),
                    effective: CalendarDate(year: 2026, month: 1, day: 1)))
        #expect(deck.entries[2].rate.increment == .perSecond)
        #expect(deck.entries[2].prefix == "44")
    }

    @Test("Split increment columns, CRLF, comments, BOM and columns in any order")
    func splitIncrement() throws {
        let csv = "\u{FEFF}Rate_Per_Minute,Initial_Increment,Subsequent_Increment,Prefix\r\n# comment\r\n\r\n0.02,60,6,+33\r\n"
        let deck = try RateDeck(carrier: "vonage", csv: csv)
        #expect(deck.entries == [.init(prefix: "33", rate: Rate(perMinute: Money(microUnits: 20_000), increment: BillingIncrement(initial: 60, subsequent: 6)!))])
    }

    @Test(
        "Errors name the line and the column",
        arguments: [
            ("prefix,rate,increment\n1,0.01,60/60\n1x,0.01,60/60\n", 3, 1, "prefix"),
            ("prefix,rate,increment\n1,abc,60/60\n", 2, 2, "rate"),
            ("prefix,rate,increment\n1,0.0000001,60/60\n", 2, 2, "rate"),
            ("prefix,rate,increment\n1,-0.01,60/60\n", 2, 2, "rate"),
            ("prefix,rate,increment\n\n1,0.01,60/0\n", 3, 3, "increment"),
            ("prefix,rate,increment,effective_date\n1,0.01,60/60,2026-02-30\n", 2, 4, "effective_date"),
            ("prefix,rate,increment,connection_fee\n1,0.01,60/60,1e-3\n", 2, 4, "connection_fee"),
            ("prefix,rate,initial_increment,subsequent_increment\n1,0.01,60,x\n", 2, 4, "subsequent_increment"),
            ("prefix,rate,increment\n1,0.01,60/60\n1,0.02,1/1\n", 3, 1, "prefix"),
        ] as [(String, Int, Int, String)])
    func fieldErrors(csv: String, line: Int, column: Int, name: String) {
        #expect {
            try RateDeck(carrier: "c", csv: csv)
        } throws: { error in
            guard let e = error as? RateDeckError else { return false }
            return e.line == line && e.column == column && e.columnName == name
        }
    }

    @Test("Line-level errors: header without required columns, wrong field count, bad quoting")
    func lineErrors() {
        #expect(throws: RateDeckError(line: 1, reason: "no 'rate' column")) { try RateDeck(carrier: "c", csv: "prefix,cost\n") }
        #expect(throws: RateDeckError(line: 1, reason: "no header row")) { try RateDeck(carrier: "c", csv: "") }
        #expect { try RateDeck(carrier: "c", csv: "prefix,rate\n1,0.1\n") } throws: { ($0 as? RateDeckError)?.line == 1 }
        #expect(throws: RateDeckError(line: 3, reason: "2 fields, the header has 3")) {
            try RateDeck(carrier: "c", csv: "prefix,rate,increment\n1,0.1,60/60\n2,0.1\n")
        }
        #expect { try RateDeck(carrier: "c", csv: "prefix,rate,increment\n\"1,0.1,60/60\n") } throws: {
            ($0 as? RateDeckError)?.line == 2
        }
        #expect(RateDeckError(line: 3, column: 2, columnName: "rate", reason: "bad").description == "line 3, column 2 (rate): bad")
    }

    @Test("Same prefix with different effective dates: the rate in force at call time")
    func effectiveDates() throws {
        let csv = """
            prefix,rate,increment,effective_date
            44,0.010,60/60,
            44,0.020,60/60,2026-03-01
            44,0.015,60/60,2026-06-01
            """
        let deck = try RateDeck(carrier: "c", csv: csv)
        let number = E164Number(digits: "442079460000")!
        func rate(_ y: Int, _ m: Int, _ d: Int) -> Int64? {
            let day = CalendarDate(year: y, month: m, day: d)!.daysSinceEpoch
            return deck.rate(for: number, at: UnixTime(seconds: day * 86_400 + 3600))?.rate.perMinute.microUnits
        }
        #expect(rate(2026, 2, 28) == 10_000)
        #expect(rate(2026, 3, 1) == 20_000)
        #expect(rate(2026, 5, 31) == 20_000)
        #expect(rate(2026, 6, 1) == 15_000)
    }

    @Test("Money is exact integer micro-units")
    func money() {
        #expect(Money(decimal: "0.0045")?.microUnits == 4500)
        #expect(Money(decimal: "12")?.microUnits == 12_000_000)
        #expect(Money(decimal: ".5")?.microUnits == 500_000)
        #expect(Money(decimal: "1.2345678") == nil)
        #expect(Money(decimal: "1.2.3") == nil)
        #expect(Money(decimal: ".") == nil)
        #expect(Money(microUnits: 4500).description == "0.004500")
        #expect(CalendarDate(iso8601: "2024-02-29")?.daysSinceEpoch == 19_782)
        #expect(CalendarDate(iso8601: "2023-02-29") == nil)
        #expect(CalendarDate(iso8601: "1970-01-01")?.daysSinceEpoch == 0)
    }
}
