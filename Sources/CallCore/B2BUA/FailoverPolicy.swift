/// Which final statuses from a carrier send a bridged call on to the next
/// candidate (serial failover) instead of back to the caller. Timeouts count
/// as 408 and transport errors as 503 (RFC 3261 8.1.3.1).
public struct FailoverPolicy: Sendable, Equatable {
    /// Every 5xx fails over (unless listed in `never`).
    public var serverErrors: Bool
    /// Further statuses that fail over (408 by default).
    public var statuses: Set<Int>
    /// Statuses that never fail over: the number is wrong or the callee
    /// said no (404, 484, 486, 603 by default); they win over the rest.
    public var never: Set<Int>
    /// A carrier challenge Switchboard cannot answer (no credentials for
    /// that target, no algorithm it knows) or that it answered and was
    /// challenged again: the carrier refused. When false the caller gets
    /// 403 (credentials refused) or 500 (none to give); never the challenge.
    public var authenticationFailures: Bool
    /// A target that rang for its `noAnswerTimeout`; when false the caller gets 480.
    public var noAnswer: Bool

    public init(
        serverErrors: Bool = true, statuses: Set<Int> = [408], never: Set<Int> = [404, 484, 486, 603], authenticationFailures: Bool = true,
        noAnswer: Bool = true
    ) {
        self.serverErrors = serverErrors
        self.statuses = statuses
        self.never = never
        self.authenticationFailures = authenticationFailures
        self.noAnswer = noAnswer
    }

    public func failsOver(_ status: Int) -> Bool {
        if never.contains(status) { return false }
        if statuses.contains(status) { return true }
        return serverErrors && (500..<600).contains(status)
    }
}
