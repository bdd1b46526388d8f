import SIPCore

extension DigestVerifier {
    /// `verify` for a parsed request: the method, Request-URI and the
    /// credentials header that `role` reads. Unparseable credentials are a 400.
    public func verify(
        request: SIPMessage,
        role: AuthenticationRole,
        source: String?,
        now: WallTime,
        nonceCounts: inout NonceCountTracker,
        user: (_ username: String, _ realm: String) -> UserRecord?,
        hashedUser: ((_ userhash: String, _ realm: String, _ algorithm: DigestAlgorithm) -> UserRecord?)? = nil
    ) -> DigestVerdict {
        let credentials: [AuthenticationParameters]
        do {
            credentials = try role.credentials(of: request)
        } catch {
            return .badRequest(reason: "malformed \(role.credentialsHeader.canonicalName)")
        }
        return verify(
            method: request.method.rawValue, requestURI: request.requestURIText, credentials: credentials,
            source: source, now: now, nonceCounts: &nonceCounts, user: user, hashedUser: hashedUser)
    }
}
