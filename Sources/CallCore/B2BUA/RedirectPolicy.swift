/// What a bridged call does with a 3xx from the carrier leg (RFC 3261 8.1.3.4).
public enum RedirectPolicy: Sendable, Equatable {
    /// The 3xx goes to the caller with the carrier's Contacts (after the
    /// failover policy had its say).
    case relay
    /// The Contacts become the next candidates, highest q first, with the
    /// redirecting target's options; at most `limit` redirect targets per
    /// call, and a URI already tried is never tried again (no loops).
    case follow(limit: Int)
}
