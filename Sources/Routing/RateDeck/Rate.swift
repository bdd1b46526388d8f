/// What a carrier charges for calls to one prefix.
public struct Rate: Sendable, Hashable {
    /// Price of one minute.
    public var perMinute: Money
    public var increment: BillingIncrement
    /// Charged once per answered call.
    public var connectionFee: Money

    public init(perMinute: Money, increment: BillingIncrement = .perMinute, connectionFee: Money = .zero) {
        self.perMinute = perMinute
        self.increment = increment
        self.connectionFee = connectionFee
    }

    /// The cost of an answered call lasting `seconds`: connection fee plus the
    /// billed seconds at the per-minute price, rounded up to the micro-unit.
    /// A call of zero seconds (not answered) costs nothing.
    public func cost(seconds: Int) -> Money {
        let billed = Int64(increment.billedSeconds(for: seconds))
        guard billed > 0 else { return .zero }
        let (product, overflow) = perMinute.microUnits.multipliedReportingOverflow(by: billed)
        let usage = overflow ? Int64.max / 2 : (product + 59) / 60
        return Money(microUnits: usage) + connectionFee
    }

    /// The order LCR sorts by: per-minute price, then connection fee, then the
    /// coarser increment last (60/60 bills more than 1/1 at the same price).
    func costPrecedes(_ other: Rate) -> Bool {
        if perMinute != other.perMinute { return perMinute < other.perMinute }
        if connectionFee != other.connectionFee { return connectionFee < other.connectionFee }
        if increment.initial != other.increment.initial { return increment.initial < other.increment.initial }
        return increment.subsequent < other.increment.subsequent
    }

    func costEquals(_ other: Rate) -> Bool { !costPrecedes(other) && !other.costPrecedes(self) }
}
