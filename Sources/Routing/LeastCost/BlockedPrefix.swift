/// A destination no call may reach: premium-rate or high-fraud ranges.
public struct BlockedPrefix: Sendable, Hashable {
    /// E.164 digits without `+`.
    public var prefix: String
    /// Shown in logs and in the rejection (`premium rate`, `fraud`).
    public var reason: String

    public init(prefix: String, reason: String) {
        self.prefix = prefix
        self.reason = reason
    }
}
