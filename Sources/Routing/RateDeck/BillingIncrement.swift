/// How a carrier rounds call durations: a first block of `initial` seconds,
/// then blocks of `subsequent` seconds (`60/60` per minute, `1/1` per second,
/// `60/6` a minimum minute then six-second steps).
public struct BillingIncrement: Sendable, Hashable, CustomStringConvertible {
    public var initial: Int
    public var subsequent: Int

    /// Both at least one second.
    public init?(initial: Int, subsequent: Int) {
        guard initial >= 1, subsequent >= 1 else { return nil }
        self.initial = initial
        self.subsequent = subsequent
    }

    /// Parses `initial/subsequent` (`60/6`) or a single number for both (`60`).
    public init?(_ text: Substring) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let i = Int(parts[0]), let s = Int(parts[parts.count - 1]) else { return nil }
        self.init(initial: i, subsequent: s)
    }

    public static let perMinute = BillingIncrement(initial: 60, subsequent: 60)!
    public static let perSecond = BillingIncrement(initial: 1, subsequent: 1)!

    /// The seconds billed for a call of `seconds`: none for an unanswered call,
    /// at least `initial`, then rounded up to whole `subsequent` blocks.
    public func billedSeconds(for seconds: Int) -> Int {
        guard seconds > 0 else { return 0 }
        guard seconds > initial else { return initial }
        let rest = seconds - initial
        return initial + (rest + subsequent - 1) / subsequent * subsequent
    }

    public var description: String { "\(initial)/\(subsequent)" }
}
