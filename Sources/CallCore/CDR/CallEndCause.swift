/// Why a call ended, as operators search for it: one value per call, decided
/// by the B2BUA from the final status and which side ended the call.
public enum CallEndCause: String, Sendable, Hashable, CaseIterable {
    /// Answered, then ended by a BYE from either side.
    case normalClearing = "normal_clearing"
    /// The caller sent CANCEL before an answer.
    case callerCancel = "caller_cancel"
    /// The callee (through the carrier) was busy: 486 or 600.
    case busy
    /// A carrier answered with a final failure the policy does not fail over on.
    case carrierRefused = "carrier_refused"
    /// Nobody answered before the ring timeout (Timer C, 408, 480).
    case noAnswer = "no_answer"
    /// Media stopped flowing on an answered call and the call was ended.
    case mediaTimeout = "media_timeout"
    /// A session refresh (RFC 4028) did not come in time.
    case sessionExpired = "session_expired"
    /// Every carrier candidate was tried and failed.
    case failoverExhausted = "failover_exhausted"
    /// No route for the number: blocked prefix, no rate, no healthy carrier.
    case noRoute = "no_route"
    /// Refused before routing by a limit (calls per second, channels) or policy.
    case rejected
    /// Ended by Switchboard itself: shutdown after the drain timeout, internal error.
    case localFailure = "local_failure"
}
