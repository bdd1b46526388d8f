/// What checking a request's digest credentials decided.
public enum DigestVerdict: Sendable, Hashable {
    /// The credentials are correct and fresh; `username` is the user's name
    /// as the store knows it (also when the client sent it hashed).
    case authenticated(username: String)
    /// Answer 401/407 with fresh challenges. `stale` is true when the
    /// credentials were right but their nonce (or nonce count) can no longer
    /// be used, so the phone retries without asking its user (RFC 7616 section 3.3).
    case challenge(stale: Bool)
    /// Answer 403: the credentials are wrong. The reason is for logs; the
    /// response should not tell an unknown user from a wrong password.
    case forbidden(reason: String)
    /// Answer 400 with the reason as phrase: the credentials are malformed.
    case badRequest(reason: String)

    /// The SIP status the verdict becomes, 200 meaning "go on with the request".
    public func status(role: AuthenticationRole) -> Int {
        switch self {
        case .authenticated: 200
        case .challenge: role.challengeStatus
        case .forbidden: 403
        case .badRequest: 400
        }
    }
}
