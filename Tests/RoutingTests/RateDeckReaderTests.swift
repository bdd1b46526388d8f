import Testing

@testable import Routing

@Suite("Rate deck CSV read from bytes") struct RateDeckReaderTests {
    static func deck(_ csv: String) throws -> RateDeck { try RateDeck(carrier: "c", csv: csv) }

    static func error(_ csv: String) -> RateDeckError? {
        do {
            _ = try deck(csv)
            return nil
        } catch {
            return error as? RateDeckError
        }
    }

    static func micro(_ deck: RateDeck) -> [Int64] { deck.entries.map(\.rate.perMinute.microUnits) }

    @Test("RFC 4180 2.6/2.7: a quoted field holds commas and a doubled quote is one quote")
    func quotedFields() throws {
        let deck = try Self.deck(
            """
            prefix,description,rate,increment
            "44","United Kingdom, ""all"" networks","0.012","1/1"
            33,"",0.02,60/60
            """)
        #expect(deck.entries.map(\.prefix) == ["44", "33"])
        #expect(Self.micro(deck) == [12_000, 20_000])
        #expect(deck.entries[0].rate.increment == .perSecond)
    }

    @Test("RFC 4180 2.5: spaces before an opening quote are dropped, text after the closing one kept")
    func quotesAndSpaces() throws {
        let deck = try Self.deck("prefix,rate,increment\n  \"1\" ,\" 0.5 \",\"60\"/60\n")
        #expect(deck.entries == [.init(prefix: "1", rate: Rate(perMinute: Money(microUnits: 500_000)))])
    }

    @Test("RFC 4180 2.5: a quote inside an unquoted field, or a second quoted part, is an error at its column")
    func quoteInsideField() {
        #expect(
            Self.error("prefix,rate,increment\n1,0\"5,60/60\n")
                == RateDeckError(line: 2, column: 2, reason: "quote inside an unquoted field"))
        #expect(
            Self.error("prefix,rate,increment\n1,\"0.5\"\"x\",60/60\n1,\"0.5\" \"6\",60/60\n")
                == RateDeckError(line: 2, column: 2, columnName: "rate", reason: "'0.5\"x' is not a decimal amount (at most 6 decimals)"))
        #expect(
            Self.error("prefix,rate,increment\n1,\"0.5\" \"6\",60/60\n")
                == RateDeckError(line: 2, column: 2, reason: "quote inside an unquoted field"))
        #expect(
            Self.error("prefix,rate,increment\n\n1,0.5,\"60/60\n")
                == RateDeckError(line: 3, column: 3, reason: "unterminated quote"))
    }

    @Test("RFC 4180 2.1/2.2: CRLF or LF line ends, mixed, doubled CRs, with or without a last line break")
    func lineEnds() throws {
        let expected = [Int64(1000), 2000, 3000]
        for csv in [
            "prefix,rate,increment\r\n1,0.001,60/60\r\n2,0.002,60/60\r\n3,0.003,60/60\r\n",
            "prefix,rate,increment\n1,0.001,60/60\n2,0.002,60/60\n3,0.003,60/60",
            "prefix,rate,increment\r\n1,0.001,60/60\n2,0.002,60/60\r\n3,0.003,60/60\r",
        ] {
            #expect(Self.micro(try Self.deck(csv)) == expected, "\(csv.debugDescription)")
        }
        // A CRLF file converted to CRLF again: CR CR LF ends a line too.
        #expect(Self.micro(try Self.deck("prefix,rate,increment\r\r\n1,0.001,60/60\r\r\n\r\r\n2,0.002,60/60\r\r\n")) == [1000, 2000])
        // A CR inside a line is data, not a line end.
        #expect(Self.error("prefix,rate,increment\n1,0.0\r1,60/60\n")?.columnName == "rate")
    }

    @Test("A byte order mark before the header is skipped; one anywhere else is data")
    func byteOrderMark() throws {
        #expect(Self.micro(try Self.deck("\u{FEFF}prefix,rate,increment\n1,0.001,60/60\n")) == [1000])
        #expect(Self.micro(try Self.deck("\u{FEFF}\n# deck\nprefix,rate,increment\n1,0.001,60/60\n")) == [1000])
        #expect(Self.error("\u{FEFF}") == RateDeckError(line: 1, reason: "no header row"))
        #expect(Self.error("prefix,rate,increment\n\u{FEFF}1,0.001,60/60\n")?.columnName == "prefix")
    }

    @Test("Empty lines, lines of spaces and tabs, and comments count as lines but hold no row")
    func blankLines() throws {
        let csv = "\n \t\nprefix,rate,increment\n\n   # a comment\n\t\n1,0.001,60/60\n\n\n2,x,60/60\n"
        #expect(Self.error(csv) == RateDeckError(line: 10, column: 2, columnName: "rate", reason: "'x' is not a decimal amount (at most 6 decimals)"))
        #expect(Self.error("\n\n") == RateDeckError(line: 3, reason: "no header row"))
        #expect(Self.error("") == RateDeckError(line: 1, reason: "no header row"))
        #expect(Self.error("prefix,rate,increment\n1,0.001,60/60\n,\n")
            == RateDeckError(line: 3, reason: "2 fields, the header has 3"))
    }

    @Test(
        "Bad numbers name the line, the column and the value as written",
        arguments: [
            ("1,0.0.1,60/60", 2, "rate", "'0.0.1' is not a decimal amount (at most 6 decimals)"),
            ("1,,60/60", 2, "rate", "'' is not a decimal amount (at most 6 decimals)"),
            ("1,1e-3,60/60", 2, "rate", "'1e-3' is not a decimal amount (at most 6 decimals)"),
            ("1,10000000000000,60/60", 2, "rate", "'10000000000000' is not a decimal amount (at most 6 decimals)"),
            ("1, 0.01 x ,60/60", 2, "rate", "'0.01 x' is not a decimal amount (at most 6 decimals)"),
            ("1,0.01,60/60/60", 3, "increment", "'60/60/60' is not an increment such as 60/60 or 1/1"),
            ("1,0.01,0/60", 3, "increment", "'0/60' is not an increment such as 60/60 or 1/1"),
            ("1,0.01,/60", 3, "increment", "'/60' is not an increment such as 60/60 or 1/1"),
            ("1,0.01,99999999999999999999/1", 3, "increment", "'99999999999999999999/1' is not an increment such as 60/60 or 1/1"),
            ("1,0.01,60/-6", 3, "increment", "'60/-6' is not an increment such as 60/60 or 1/1"),
            ("1,0.01,60/60,-1,", 4, "connection_fee", "'-1' is not a decimal amount (at most 6 decimals)"),
            ("1,0.01,60/60,,2026-1-01", 5, "effective_date", "'2026-1-01' is not an ISO 8601 date (YYYY-MM-DD)"),
            ("1,0.01,60/60,,0000-01-01", 5, "effective_date", "'0000-01-01' is not an ISO 8601 date (YYYY-MM-DD)"),
            ("+,0.01,60/60", 1, "prefix", "'+' is not a prefix of 1 to 15 digits"),
            ("1 4,0.01,60/60", 1, "prefix", "'1 4' is not a prefix of 1 to 15 digits"),
            ("1234567890123456,0.01,60/60", 1, "prefix", "'1234567890123456' is not a prefix of 1 to 15 digits"),
        ] as [(String, Int, String, String)])
    func badNumbers(row: String, column: Int, name: String, reason: String) {
        let csv = "prefix,rate,increment,connection_fee,effective_date\n" + (row.filter { $0 == "," }.count == 2 ? row + ",," : row)
        #expect(Self.error(csv) == RateDeckError(line: 2, column: column, columnName: name, reason: reason))
    }

    @Test("Numbers as the old reader took them: a signed increment, six decimals, a leading '+' on the prefix, spaces around")
    func acceptedNumbers() throws {
        let deck = try Self.deck(
            "prefix,rate,increment,connection_fee,effective_date\n +1415 , 9999999.999999 ,+60/6, .5 , 2024-02-29 \n")
        #expect(
            deck.entries == [
                .init(
                    prefix: "1415",
                    rate: Rate(
                        perMinute: Money(microUnits: 9_999_999_999_999), increment: BillingIncrement(initial: 60, subsequent: 6)!,
                        connectionFee: Money(microUnits: 500_000)),
                    effective: CalendarDate(year: 2024, month: 2, day: 29))
            ])
    }

    @Test("The first duplicate in file order is reported, with the line it repeats")
    func duplicates() {
        let rows = [
            "1,0.01,60/60,", "2,0.01,60/60,", "1,0.01,60/60,2026-01-01", "3,0.01,60/60,", "2,0.02,1/1,",
            "1,0.03,60/60,",
        ]
        let csv = "prefix,rate,increment,effective_date\n" + rows.joined(separator: "\n")
        #expect(
            Self.error(csv)
                == RateDeckError(
                    line: 6, column: 1, columnName: "prefix", reason: "prefix 2 with this effective date already on line 3"))
        // A duplicate above a bad row is the first problem; a bad row above a duplicate is.
        #expect(Self.error(csv + "\nx,1,1")?.line == 6)
        #expect(Self.error("prefix,rate,increment\n1,1,1\nx,1,1\n1,1,1\n")?.columnName == "prefix")
        #expect(Self.error("prefix,rate,increment\n1,1,1\nx,1,1\n1,1,1\n")?.line == 3)
        #expect(Self.error("prefix,rate,increment,effective_date\n1,1,1,2026-01-01\n1,2,1,2026-01-02\n1,3,1,\n") == nil)
    }

    @Test("Rows keep deck order; equal rates are stored once")
    func distinctRates() throws {
        var csv = "prefix,rate,increment\n"
        for i in 0..<2000 { csv += "\(1000 + i),0.00\(i % 3 + 1),\(i % 2 == 0 ? "60/60" : "1/1")\n" }
        let deck = try Self.deck(csv)
        #expect(deck.count == 2000)
        #expect(deck.rates.count == 6)
        let prefixes: [String] = (0..<2000).map { String(1000 + $0) }
        let micro: [Int64] = (0..<2000).map { Int64($0 % 3 + 1) * 1000 }
        #expect(deck.entries.map(\.prefix) == prefixes)
        #expect(Self.micro(deck) == micro)
    }

    @Test("Rows by prefix, each before its extensions, then effective day, then deck order")
    func prefixOrder() throws {
        var generator = SplitMix64(seed: 7)
        var entries: [RateDeck.Entry] = []
        for _ in 0..<5000 {
            let length = Int(generator.next() % 4) + 1
            let prefix = String((0..<length).map { _ in Character(String(generator.next() % 3)) })
            let day = Int(generator.next() % 4)
            entries.append(
                .init(
                    prefix: prefix, rate: Rate(perMinute: Money(microUnits: Int64(entries.count))),
                    effective: day == 0 ? nil : CalendarDate(year: 2026, month: 1, day: day)))
        }
        let deck = RateDeck(carrier: "c", entries: entries)
        let expected = entries.indices.sorted { a, b in
            let (ea, eb) = (entries[a], entries[b])
            if ea.prefix != eb.prefix { return ea.prefix < eb.prefix }
            let (da, db) = (ea.effective?.daysSinceEpoch ?? .min, eb.effective?.daysSinceEpoch ?? .min)
            return da != db ? da < db : a < b
        }
        #expect(deck.order.map(Int.init) == expected)
        #expect(deck.entries == entries)
    }

    @Test("Packed prefixes order as strings and give their digits back")
    func destinationPrefix() throws {
        let texts = ["1", "10", "1415", "19", "2", "44", "999999999999999", "0"]
        let prefixes = try texts.map { try #require(DestinationPrefix($0)) }
        #expect(prefixes.map(\.digits) == texts)
        #expect(prefixes.map(\.length) == texts.map(\.count))
        #expect(prefixes.sorted().map(\.digits) == texts.sorted())
        #expect(DestinationPrefix("1234567890123456") == nil && DestinationPrefix("") == nil && DestinationPrefix("1a") == nil)
        #expect(prefixes[0].isPrefix(of: prefixes[2]) && !prefixes[2].isPrefix(of: prefixes[0]))
        #expect(prefixes[2].commonLength(with: prefixes[3]) == 1 && prefixes[0].commonLength(with: prefixes[0]) == 1)
    }

    @Test("Effective dates survive the compact form: days since 1970 back to the calendar date")
    func calendarDays() {
        for days in stride(from: Int64(-719_162), through: 2_932_896, by: 997) {
            let date = CalendarDate(daysSinceEpoch: days)
            #expect(date?.daysSinceEpoch == days, "\(days)")
        }
        #expect(CalendarDate(daysSinceEpoch: 19_782) == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(CalendarDate(daysSinceEpoch: -719_162) == CalendarDate(year: 1, month: 1, day: 1))
        #expect(CalendarDate(daysSinceEpoch: 2_932_896) == CalendarDate(year: 9999, month: 12, day: 31))
        #expect(CalendarDate(daysSinceEpoch: -719_163) == nil && CalendarDate(daysSinceEpoch: 2_932_897) == nil)
    }
}
