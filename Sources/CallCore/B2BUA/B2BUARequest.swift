import Routing
/// A route decision to bridge a call: the INVITE is answered by
/// Switchboard's B2BUA, which places a new call to the candidates one after
/// another (`RouteOutcome.bridge`).
public struct B2BUARequest: Sendable, Equatable {
    /// Tried in order; the next one after a final status the policy fails over on.
    public var candidates: [B2BUATarget]
    public var failover: FailoverPolicy
    /// Session timers offered on the carrier leg; nil offers none.
    public var sessionTimer: SessionTimerSettings?
    public var identity: IdentityPolicy
    /// The carrier leg's From URI (e.g. the caller's number in the form the
    /// carrier wants); nil keeps the caller's user part at Switchboard's host.
    public var fromURI: String?
    /// Timer C of the carrier leg (RFC 3261 16.6 step 11): restarted by each
    /// 101-199; when it fires the attempt is cancelled and counts as a 408.
    public var ringTimeout: Duration
    /// A 3xx from the carrier: relayed to the caller (default) or followed.
    public var redirects: RedirectPolicy
    /// Who and what the call is, for its CDR.
    public var accounting: CallAccounting

    public init(
        candidates: [B2BUATarget], failover: FailoverPolicy = FailoverPolicy(), sessionTimer: SessionTimerSettings? = nil,
        identity: IdentityPolicy = .pass, fromURI: String? = nil, ringTimeout: Duration = .seconds(180), redirects: RedirectPolicy = .relay,
        accounting: CallAccounting = CallAccounting()
    ) {
        self.accounting = accounting
        self.ringTimeout = ringTimeout
        self.redirects = redirects
        self.candidates = candidates
        self.failover = failover
        self.sessionTimer = sessionTimer
        self.identity = identity
        self.fromURI = fromURI
    }
}
