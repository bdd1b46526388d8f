/// Which final responses from a carrier send the call on to the next
/// candidate. Server trouble (5xx, 408, no answer) fails over; answers that
/// say the number or the callee is the problem (404, 484, 486, 603) never
/// do, since every carrier would say the same (CARRIERS.md, least-cost routing).
public struct FailoverPolicy: Sendable, Hashable {
    /// Statuses that fail over.
    public var failoverStatuses: Set<Int>
    /// Statuses that end the call attempt even if also in `failoverStatuses`.
    public var neverFailoverStatuses: Set<Int>
    /// Whether a transaction timeout (no final response, RFC 3261 Timer B) fails over.
    public var failoverOnTimeout: Bool

    public init(
        failoverStatuses: Set<Int> = Set(500...599).union([408]),
        neverFailoverStatuses: Set<Int> = [404, 484, 486, 603],
        failoverOnTimeout: Bool = true
    ) {
        self.failoverStatuses = failoverStatuses
        self.neverFailoverStatuses = neverFailoverStatuses
        self.failoverOnTimeout = failoverOnTimeout
    }

    /// What to do after a carrier's final response or its absence.
    public enum Outcome: Sendable, Hashable {
        /// Try the next candidate; counts as a carrier failure for its circuit breaker.
        case failover
        /// Relay the response to the caller; the carrier did its job.
        case stop
    }

    /// The outcome for a final status (2xx-6xx).
    public func outcome(status: Int) -> Outcome {
        if neverFailoverStatuses.contains(status) { return .stop }
        return failoverStatuses.contains(status) ? .failover : .stop
    }

    /// The outcome when the carrier never answered.
    public var outcomeOnTimeout: Outcome { failoverOnTimeout ? .failover : .stop }
}
