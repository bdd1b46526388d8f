/// How a carrier recognizes Switchboard.
public enum CarrierAuthentication: Sendable, Hashable {
    /// By source address (an IP access list at the carrier); no credentials sent.
    case ipAddress
    /// Digest credentials (RFC 3261 22, RFC 8760), sent when the carrier
    /// challenges with one of `challengeStatuses` (401 and/or 407).
    case digest(username: String, password: String, challengeStatuses: Set<Int> = [401, 407])

    /// Whether a response with `status` should be answered with credentials.
    public func answersChallenge(_ status: Int) -> Bool {
        guard case .digest(_, _, let statuses) = self else { return false }
        return statuses.contains(status)
    }
}
