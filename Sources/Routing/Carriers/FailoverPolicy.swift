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
    /// A carrier challenge Switchboard cannot answer (no credentials for
    /// that target, no algorithm it knows) or that it answered and was
    /// challenged again: the carrier refused. When false the caller gets
    /// 403 (credentials refused) or 500 (none to give); never the challenge.
    public var authenticationFailures: Bool
    /// A target that rang for its no-answer timeout; when false the caller gets 480.
    public var noAnswer: Bool

    public init(
        failoverStatuses: Set<Int> = Set(500...599).union([408]),
        neverFailoverStatuses: Set<Int> = [404, 484, 486, 603],
        failoverOnTimeout: Bool = true,
        authenticationFailures: Bool = true,
        noAnswer: Bool = true
    ) {
        self.failoverStatuses = failoverStatuses
        self.neverFailoverStatuses = neverFailoverStatuses
        self.failoverOnTimeout = failoverOnTimeout
        self.authenticationFailures = authenticationFailures
        self.noAnswer = noAnswer
    }

    /// Whether the call goes on to the next candidate after `status`
    /// (Switchboard's own timeouts count as 408, transport errors as 503, RFC 3261 8.1.3.1).
    public func failsOver(_ status: Int) -> Bool {
        if status == 408, !neverFailoverStatuses.contains(408), failoverOnTimeout { return true }
        return outcome(status: status) == .failover
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
