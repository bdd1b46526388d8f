/// One carrier's prices: a rate per destination prefix, possibly several per
/// prefix with different effective dates.
///
/// Stored compactly, since a deck can hold a million rows: each row is a
/// packed prefix, an effective day and the index of its rate among the
/// deck's distinct rates, and the deck keeps its rows' order by prefix,
/// the order `RateTable` is built in.
public struct RateDeck: Sendable, Hashable {
    /// One row of the deck.
    public struct Entry: Sendable, Hashable {
        /// E.164 digits without `+`.
        public var prefix: String
        public var rate: Rate
        /// From this UTC day on the rate is in force; nil: always.
        public var effective: CalendarDate?

        public init(prefix: String, rate: Rate, effective: CalendarDate? = nil) {
            self.prefix = prefix
            self.rate = rate
            self.effective = effective
        }
    }

    /// One row as stored.
    struct Row: Sendable, Hashable {
        var prefix: DestinationPrefix
        /// UTC day from which the rate applies (days since 1970-01-01), `RateDeck.always` for always.
        var day: Int32
        /// Index into `rates`.
        var rate: UInt32
    }

    /// The effective day of a row without an effective date.
    static let always = Int32.min

    /// The carrier the deck prices (a carrier profile's name).
    public var carrier: String
    /// The deck's distinct rates.
    let rates: [Rate]
    /// In deck order.
    let rows: [Row]
    /// Indices of `rows` by prefix, then effective day, then deck order.
    let order: [UInt32]
    /// The first entry given whose prefix is not 1 to 15 digits; `RateTable` refuses such a deck.
    let invalidPrefix: String?

    /// A deck from rows in memory. An entry whose prefix is not 1 to 15
    /// digits is left out of `entries` and makes `RateTable` refuse the deck.
    public init(carrier: String, entries: [Entry]) {
        var rates = DistinctRates()
        var rows: [Row] = []
        rows.reserveCapacity(entries.count)
        var invalid: String?
        for entry in entries {
            guard let prefix = DestinationPrefix(entry.prefix) else {
                if invalid == nil { invalid = entry.prefix }
                continue
            }
            let day = entry.effective.map { Int32(truncatingIfNeeded: $0.daysSinceEpoch) } ?? Self.always
            rows.append(Row(prefix: prefix, day: day, rate: rates.index(of: entry.rate)))
        }
        self.init(carrier: carrier, rates: rates.values, rows: rows, order: Self.prefixOrder(rows), invalidPrefix: invalid)
    }

    init(carrier: String, rates: [Rate], rows: [Row], order: [UInt32], invalidPrefix: String? = nil) {
        self.carrier = carrier
        self.rates = rates
        self.rows = rows
        self.order = order
        self.invalidPrefix = invalidPrefix
    }

    /// Number of rows.
    public var count: Int { rows.count }

    /// The rows, in deck order (built on each call).
    public var entries: [Entry] {
        rows.map { row in
            Entry(
                prefix: row.prefix.digits, rate: rates[Int(row.rate)],
                effective: row.day == Self.always ? nil : CalendarDate(daysSinceEpoch: Int64(row.day)))
        }
    }

    /// The rate in force at `time` for the longest prefix of `number` that has
    /// one: among a prefix's rows, the latest effective date not after the
    /// call's UTC day. A linear scan; `RateTable` answers the same for all decks at once.
    public func rate(for number: E164Number, at time: UnixTime) -> (prefix: String, rate: Rate)? {
        let today = time.day()
        let digits = DestinationPrefix(number: number)
        var best: (row: Row, length: Int)?
        for row in rows where row.prefix.isPrefix(of: digits) {
            guard Int64(row.day) <= today else { continue }
            let length = row.prefix.length
            if let b = best {
                if length < b.length { continue }
                if length == b.length && row.day <= b.row.day { continue }
            }
            best = (row, length)
        }
        return best.map { ($0.row.prefix.digits, rates[Int($0.row.rate)]) }
    }
}
