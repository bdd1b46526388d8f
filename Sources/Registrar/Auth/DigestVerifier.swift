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
        let found = credentials.lazy.map(DigestCredentials.init).first { $0.isDigest && $0.realm.map { Self.matches($0, realm) } == true }
        return verify(
            found, method: method, requestURI: ArraySlice(requestURI.utf8), requestURIText: requestURI, source: source, now: now,
            recordNonceCount: { recordNonceCount(DigestCredentials.text($0), $1, $2, $3) },
            user: { name, realm, algorithm in user(name, realm)?.digestUser(algorithm: algorithm) }, hashedUser: hashedUser)
    }

    /// `verify` for a request as received: the credentials header that `role`
    /// reads is parsed from the request's bytes and checked without making
    /// strings of its values, the digest computed in fixed buffers. What a
    /// registrar calls for every REGISTER. Credentials that do not parse are
    /// no credentials (a challenge), as is a request without any.
    ///
    /// - Parameter user: the user's name and HA1 for an algorithm, by (username, realm).
    public func verify(
        request: SIPMessage,
        role: AuthenticationRole,
        source: String?,
        now: WallTime,
        recordNonceCount: (_ nonce: NonceCountTracker.Key, _ count: UInt32, _ issuedAt: WallTime, _ expiresAt: WallTime) -> NonceCountTracker.Outcome,
        user: (_ username: String, _ realm: String, _ algorithm: DigestAlgorithm) -> DigestUser?,
        hashedUser: ((_ userhash: String, _ realm: String, _ algorithm: DigestAlgorithm) -> UserRecord?)? = nil
    ) -> DigestVerdict {
        let header = role.credentialsHeader
        let realm = configuration.realm
        var found: DigestCredentials?
        for field in request.headerFields where field.name == header {
            // Every value must parse, as when the header is read whole.
            guard let c = try? DigestCredentials(parsing: request.rawValue(of: field), header: header) else {
                return .challenge(stale: false)
            }
            if found == nil, c.isDigest, let r = c.realm, Self.matches(r, realm) { found = c }
        }
        return verify(
            found, method: request.method.rawValue, requestURI: request.requestURIBytes, requestURIText: request.requestURIText,
            source: source, now: now, recordNonceCount: { recordNonceCount(NonceCountTracker.Key($0), $1, $2, $3) }, user: user,
            hashedUser: hashedUser)
    }

    /// The checks of RFC 7616 3.4 and RFC 3261 22.4 on the credentials for our realm (nil: none).
    private func verify(
        _ found: DigestCredentials?,
        method: String,
        requestURI: ArraySlice<UInt8>,
        requestURIText: @autoclosure () -> String,
        source: String?,
        now: WallTime,
        recordNonceCount: (_ nonce: ArraySlice<UInt8>, _ count: UInt32, _ issuedAt: WallTime, _ expiresAt: WallTime) -> NonceCountTracker.Outcome,
        user: (_ username: String, _ realm: String, _ algorithm: DigestAlgorithm) -> DigestUser?,
        hashedUser: ((_ userhash: String, _ realm: String, _ algorithm: DigestAlgorithm) -> UserRecord?)?
    ) -> DigestVerdict {
        let realm = configuration.realm
        guard let c = found else { return .challenge(stale: false) }

        let usernameField: String
        switch (c.username, c.extendedUsername) {
        case (let plain?, nil): usernameField = DigestCredentials.text(plain)
        case (nil, let extended?):
            guard let decoded = Self.decodeExtendedValue(DigestCredentials.text(extended)) else {
                return .badRequest(reason: "malformed username*")
            }
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
            guard let known = DigestAlgorithm(token: DigestCredentials.text(token)), configuration.algorithms.contains(known) else {
                return .challenge(stale: false)
            }
            algorithm = known
        } else {
            guard configuration.algorithms.contains(.md5) else { return .challenge(stale: false) }
            algorithm = .md5
        }

        // qop=auth, or (RFC 2069) no qop at all.
        var counted: (nc: ArraySlice<UInt8>, count: UInt32, cnonce: ArraySlice<UInt8>)?
        if let qopValue = c.qop {
            let qop = DigestCredentials.text(qopValue)
            guard qop.lowercased() == "auth" else { return .badRequest(reason: "qop \(qop) not offered") }
            guard let cn = c.cnonce else { return .badRequest(reason: "missing cnonce with qop") }
            guard let ncValue = c.nc else { return .badRequest(reason: "missing nc with qop") }
            let nc = DigestCredentials.text(ncValue)
            guard (1...8).contains(nc.utf8.count), let value = UInt32(nc, radix: 16) else {
                return .badRequest(reason: "malformed nc")
            }
            guard value > 0 else { return .badRequest(reason: "nc is zero") }
            counted = (Self.asText(ncValue), value, Self.asText(cn))
        } else {
            guard configuration.acceptsResponsesWithoutQop else { return .badRequest(reason: "missing qop in credentials") }
        }

        if let expected = configuration.opaque, let echoed = c.opaque, !Self.matches(echoed, expected) {
            return .challenge(stale: false)
        }

        // RFC 3261 22.4 and RFC 7616 3.4.6: the credentials must be for this request.
        if !uri.withUnsafeBufferPointer({ u in requestURI.withUnsafeBufferPointer { Self.bytesEqual(u, $0) } }) {
            let uriText = DigestCredentials.text(uri)
            let requestURIText = requestURIText()
            if uriText != requestURIText {
                guard let a = try? SIPURI(uriText), let b = try? SIPURI(requestURIText), a.matchesForDigest(b) else {
                    return .badRequest(reason: "uri in credentials does not match Request-URI")
                }
            }
        }

        let issuedAt: WallTime
        let isStale: Bool
        switch configuration.nonces.check(bytes: nonce, realm: realm, source: source, now: now) {
        case .invalid: return .challenge(stale: false)
        case .valid(let t): (issuedAt, isStale) = (t, false)
        case .stale(let t): (issuedAt, isStale) = (t, true)
        }

        let record: DigestUser?
        if let userhash = c.userhash, DigestCredentials.text(userhash).lowercased() == "true" {
            guard c.extendedUsername == nil else { return .badRequest(reason: "username* with userhash") }
            guard let hashedUser else { return .forbidden(reason: "userhash not supported") }
            record = hashedUser(usernameField.lowercased(), realm, algorithm)?.digestUser(algorithm: algorithm)
        } else {
            record = user(usernameField, realm, algorithm)
        }
        guard let record else { return .forbidden(reason: "unknown user") }
        guard let ha1 = record.ha1 else {
            return .forbidden(reason: "user \(record.username) has no \(algorithm.rawValue) credentials")
        }

        // The nonce passed the check: base64url, ASCII. The other values are hashed as the
        // strings they make (invalid UTF-8 repaired), as `DigestResponse.compute` hashes them.
        let uriHashed = Self.asText(uri)
        var method = method
        let matched = method.withUTF8 { method in
            ha1.withText { ha1 in
                uriHashed.withUnsafeBytes { uri in
                    nonce.withUnsafeBytes { nonce in
                        Self.withQop(counted) { qop in
                            DigestResponse.withExpected(
                                ha1: ha1, algorithm: algorithm,
                                DigestResponse.Input(method: UnsafeRawBufferPointer(method), uri: uri, nonce: nonce, qop: qop)
                            ) { expected in Hex.constantTimeEqualIgnoringCase(response, expected) }
                        }
                    }
                }
            }
        }
        guard matched else {
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

    /// Hands `nc` and `cnonce` as buffers to `body`, or nil without qop.
    private static func withQop<R>(
        _ counted: (nc: ArraySlice<UInt8>, count: UInt32, cnonce: ArraySlice<UInt8>)?,
        _ body: ((nc: UnsafeRawBufferPointer, cnonce: UnsafeRawBufferPointer)?) -> R
    ) -> R {
        guard let counted else { return body(nil) }
        return counted.nc.withUnsafeBytes { nc in counted.cnonce.withUnsafeBytes { cnonce in body((nc, cnonce)) } }
    }

    /// Whether a credentials value is the string `text`: byte for byte, or
    /// (for values that are not ASCII) as the strings compare.
    static func matches(_ value: ArraySlice<UInt8>, _ text: String) -> Bool {
        var text = text
        let (equal, ascii) = text.withUTF8 { t in
            value.withUnsafeBufferPointer { v in (Self.bytesEqual(v, t), Self.isASCII(v) && Self.isASCII(t)) }
        }
        if equal { return true }
        if ascii { return false }
        return DigestCredentials.text(value) == text
    }

    /// The value's bytes as the string made of it holds them: the same bytes
    /// unless they are not valid UTF-8 (only then copied, repaired).
    static func asText(_ value: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        if value.withUnsafeBufferPointer(Self.isASCII) { return value }
        return ArraySlice(DigestCredentials.text(value).utf8)
    }

    /// Byte-for-byte equality (not secret: credentials' realm, uri, opaque).
    static func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for i in 0..<a.count where a[i] != b[i] { return false }
        return true
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var any: UInt8 = 0
        for b in bytes { any |= b }
        return any < 0x80
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
