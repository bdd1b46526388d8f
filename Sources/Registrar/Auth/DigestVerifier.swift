import SIPCore

/// Checks digest credentials against the user store (RFC 7616 section 3.4,
/// RFC 8760, RFC 3261 section 22) and issues the challenges that ask for them.
///
/// Pure: the caller passes the time, the source address, the user lookup
/// and the nonce-count tracker it owns.
public struct DigestVerifier: Sendable {
    public let configuration: DigestConfiguration

    public init(configuration: DigestConfiguration) {
        self.configuration = configuration
    }

    /// Fresh challenges for a 401/407, one per configured algorithm, in the configured order.
    public func challenges(stale: Bool = false, source: String?, now: WallTime) -> [DigestChallenge] {
        let nonce = configuration.nonces.issue(realm: configuration.realm, source: source, now: now)
        // The configuration's algorithms are distinct already: `DigestChallenge.offer` without its set.
        return configuration.algorithms.map {
            DigestChallenge(
                realm: configuration.realm, nonce: nonce, opaque: configuration.opaque, algorithm: $0, stale: stale,
                userhash: configuration.offersUserhash)
        }
    }

    /// Decides whether `credentials` (every Authorization or Proxy-Authorization
    /// value of the request) authenticate the request.
    ///
    /// - Parameters:
    ///   - requestURI: the Request-URI as written in the request line.
    ///   - user: the record of a user by (username, realm).
    ///   - hashedUser: the record whose `H(username:realm)` under the algorithm is
    ///     the given hex, for `userhash=true`; nil if the store cannot tell.
    public func verify(
        method: String,
        requestURI: String,
        credentials: [AuthenticationParameters],
        source: String?,
        now: WallTime,
        nonceCounts: inout NonceCountTracker,
        user: (_ username: String, _ realm: String) -> UserRecord?,
        hashedUser: ((_ userhash: String, _ realm: String, _ algorithm: DigestAlgorithm) -> UserRecord?)? = nil
    ) -> DigestVerdict {
        verify(
            method: method, requestURI: requestURI, credentials: credentials, source: source, now: now,
            recordNonceCount: { nonceCounts.record(nonce: $0, count: $1, issuedAt: $2, expiresAt: $3, now: now) },
            user: user, hashedUser: hashedUser)
    }

    /// The same, with the nonce-count tracker behind `recordNonceCount` (nonce, count, issued,
    /// expires), so that a caller sharing one tracker between threads holds its lock only there:
    /// the digest itself is computed outside it. Called at most once, after the response matched.
    public func verify(
        method: String,
        requestURI: String,
        credentials: [AuthenticationParameters],
        source: String?,
        now: WallTime,
        recordNonceCount: (_ nonce: String, _ count: UInt32, _ issuedAt: WallTime, _ expiresAt: WallTime) -> NonceCountTracker.Outcome,
        user: (_ username: String, _ realm: String) -> UserRecord?,
        hashedUser: ((_ userhash: String, _ realm: String, _ algorithm: DigestAlgorithm) -> UserRecord?)? = nil
    ) -> DigestVerdict {
        let realm = configuration.realm
        // RFC 3261 22.4: each realm has its own credentials; ours are the ones to check.
        guard let c = credentials.lazy.map(DigestCredentials.init).first(where: { $0.isDigest && $0.realm == realm }) else {
            return .challenge(stale: false)
        }

        let usernameField: String
        switch (c.username, c.extendedUsername) {
        case (let plain?, nil): usernameField = plain
        case (nil, let extended?):
            guard let decoded = Self.decodeExtendedValue(extended) else { return .badRequest(reason: "malformed username*") }
            usernameField = decoded
        case (.some, .some): return .badRequest(reason: "both username and username* in credentials")
        case (nil, nil): return .badRequest(reason: "missing username in credentials")
        }
        guard let nonce = c.nonce else { return .badRequest(reason: "missing nonce in credentials") }
        guard let uri = c.uri else { return .badRequest(reason: "missing uri in credentials") }
        guard let response = c.response else { return .badRequest(reason: "missing response in credentials") }

        // RFC 7616 3.4: no algorithm means MD5.
        let algorithm: DigestAlgorithm
        if let token = c.algorithm {
            guard let known = DigestAlgorithm(token: token), configuration.algorithms.contains(known) else {
                return .challenge(stale: false)
            }
            algorithm = known
        } else {
            guard configuration.algorithms.contains(.md5) else { return .challenge(stale: false) }
            algorithm = .md5
        }

        // qop=auth, or (RFC 2069) no qop at all.
        var counted: (nc: String, count: UInt32, cnonce: String)?
        if let qop = c.qop {
            guard qop.lowercased() == "auth" else { return .badRequest(reason: "qop \(qop) not offered") }
            guard let cn = c.cnonce else { return .badRequest(reason: "missing cnonce with qop") }
            guard let nc = c.nc else { return .badRequest(reason: "missing nc with qop") }
            guard (1...8).contains(nc.utf8.count), let value = UInt32(nc, radix: 16) else {
                return .badRequest(reason: "malformed nc")
            }
            guard value > 0 else { return .badRequest(reason: "nc is zero") }
            counted = (nc, value, cn)
        } else {
            guard configuration.acceptsResponsesWithoutQop else { return .badRequest(reason: "missing qop in credentials") }
        }

        if let expected = configuration.opaque, let echoed = c.opaque, echoed != expected {
            return .challenge(stale: false)
        }

        // RFC 3261 22.4 and RFC 7616 3.4.6: the credentials must be for this request.
        if uri != requestURI {
            guard let a = try? SIPURI(uri), let b = try? SIPURI(requestURI), a.matchesForDigest(b) else {
                return .badRequest(reason: "uri in credentials does not match Request-URI")
            }
        }

        let issuedAt: WallTime
        let isStale: Bool
        switch configuration.nonces.check(nonce, realm: realm, source: source, now: now) {
        case .invalid: return .challenge(stale: false)
        case .valid(let t): (issuedAt, isStale) = (t, false)
        case .stale(let t): (issuedAt, isStale) = (t, true)
        }

        let record: UserRecord?
        if c.userhash?.lowercased() == "true" {
            guard c.extendedUsername == nil else { return .badRequest(reason: "username* with userhash") }
            guard let hashedUser else { return .forbidden(reason: "userhash not supported") }
            record = hashedUser(usernameField.lowercased(), realm, algorithm)
        } else {
            record = user(usernameField, realm)
        }
        guard let record else { return .forbidden(reason: "unknown user") }
        guard let ha1 = record.ha1[algorithm] else {
            return .forbidden(reason: "user \(record.username) has no \(algorithm.rawValue) credentials")
        }

        let expected = DigestResponse.compute(
            ha1: ha1, algorithm: algorithm, method: method, uri: uri, nonce: nonce,
            qop: counted.map { (nc: $0.nc, cnonce: $0.cnonce) })
        guard Hex.constantTimeEqual(expected, response.lowercased()) else {
            return .forbidden(reason: "wrong password for \(record.username)")
        }

        // Right password, old nonce: the phone retries with a new one unprompted.
        if isStale { return .challenge(stale: true) }

        // Without qop there is no count: each nonce is good for one request.
        let outcome = recordNonceCount(nonce, counted?.count ?? 1, issuedAt, configuration.nonces.expiry(ofNonceIssuedAt: issuedAt))
        switch outcome {
        case .accepted: return .authenticated(username: record.username)
        // RFC 7616 3.4: a count seen twice is a replay. The digest was right, so
        // the nonce is what can no longer be used: stale=true (RFC 7616 3.3)
        // lets a phone that resent a cached Authorization recover, and tells a
        // replayer nothing it did not know.
        case .replayed, .forgotten: return .challenge(stale: true)
        }
    }

    /// An RFC 8187 ext-value in UTF-8 (`UTF-8''J%C3%A4s%C3%B8n%20Doe`), decoded.
    static func decodeExtendedValue(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        var bytes = [UInt8]()
        var it = parts[2].utf8.makeIterator()
        while let b = it.next() {
            if b == UInt8(ascii: "%") {
                guard let h = it.next(), let l = it.next(), let v = UInt8(String(decoding: [h, l], as: UTF8.self), radix: 16) else {
                    return nil
                }
                bytes.append(v)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
