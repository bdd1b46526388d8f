/// One carrier's prices: a rate per destination prefix, possibly several per
/// prefix with different effective dates.
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

    /// The carrier the deck prices (a carrier profile's name).
    public var carrier: String
    public var entries: [Entry]

    public init(carrier: String, entries: [Entry]) {
        self.carrier = carrier
        self.entries = entries
    }

    /// The rate in force at `time` for the longest prefix of `number` that has
    /// one: among a prefix's rows, the latest effective date not after the
    /// call's UTC day. A linear scan; `RateTable` answers the same for all decks at once.
    public func rate(for number: E164Number, at time: UnixTime) -> (prefix: String, rate: Rate)? {
        let today = time.day()
        var best: (prefix: String, rate: Rate, day: Int64)?
        for entry in entries where number.hasPrefix(entry.prefix) {
            let day = entry.effective?.daysSinceEpoch ?? Int64.min
            guard day <= today else { continue }
            if let b = best {
                if entry.prefix.count < b.prefix.count { continue }
                if entry.prefix.count == b.prefix.count && day <= b.day { continue }
            }
            best = (entry.prefix, entry.rate, day)
        }
        return best.map { ($0.prefix, $0.rate) }
    }
}
