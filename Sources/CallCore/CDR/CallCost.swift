import Routing

/// What an answered call costs: an amount in micro-units of `currency` (the
/// rate deck's ISO 4217 code), worked out by the caller from the carrier's rate.
public struct CallCost: Sendable, Hashable, CustomStringConvertible {
    public var amount: Money
    /// ISO 4217 code, e.g. `USD`.
    public var currency: String

    public init(amount: Money, currency: String) {
        self.amount = amount
        self.currency = currency
    }

    /// The cost of `seconds` answered at `rate`, rounded to the rate's billing increment.
    public init(rate: Rate, seconds: Int, currency: String) {
        self.init(amount: rate.cost(seconds: seconds), currency: currency)
    }

    /// `0.012000 USD`.
    public var description: String { "\(amount) \(currency)" }
}
