import SIPCore
import Testing
@testable import Registrar

/// A phone's side of digest: answers a challenge as RFC 7616 3.4 says.
private struct Phone {
    var username = "alice"
    var password = "wonderland"
    var cnonce = "0a4f113b"

    func authorization(
        to challenge: DigestChallenge, method: String = "REGISTER", uri: String = "sip:sip.example.com",
        nc: String? = "00000001", password: String? = nil, sendsAlgorithm: Bool = true, userhash: Bool = false, extra: String = ""
    ) -> AuthenticationParameters {
        let ha1 = HA1.compute(username: username, realm: challenge.realm, password: password ?? self.password, algorithm: challenge.algorithm)
        let response = DigestResponse.compute(
            ha1: ha1, algorithm: challenge.algorithm, method: method, uri: uri, nonce: challenge.nonce,
            qop: nc.map { (nc: $0, cnonce: cnonce) })
        let name = userhash ? challenge.algorithm.hexDigest("\(username):\(challenge.realm)") : username
        var text = "Digest username=\"\(name)\", realm=\"\(challenge.realm)\", nonce=\"\(challenge.nonce)\", uri=\"\(uri)\", response=\"\(response)\""
        if sendsAlgorithm { text += ", algorithm=\(challenge.algorithm.rawValue)" }
        if let nc { text += ", qop=auth, nc=\(nc), cnonce=\"\(cnonce)\"" }
        if let opaque = challenge.opaque { text += ", opaque=\"\(opaque)\"" }
        if userhash { text += ", userhash=true" }
        text += extra
        return try! AuthenticationParameters(text)
    }
}

@Suite("Digest verifier") struct DigestVerifierTests {
    static let t0 = WallTime(secondsSinceEpoch: 1_700_000_000)
    static let realm = "sip.example.com"
    static let alice = UserRecord(username: "alice", realm: realm, password: "wonderland")

    let verifier: DigestVerifier
    var tracker = NonceCountTracker(capacity: 64)

    init() throws {
        let nonces = StatelessNonce(secret: Array("switchboard test secret 0123456".utf8), lifetime: .seconds(300))
        verifier = DigestVerifier(configuration: try DigestConfiguration(realm: Self.realm, nonces: nonces, opaque: "sb1", offersUserhash: true))
    }

    private static func lookup(_ username: String, _ realm: String) -> UserRecord? {
        username == alice.username && realm == alice.realm ? alice : nil
    }

    private static func hashedLookup(_ hash: String, _ realm: String, _ algorithm: DigestAlgorithm) -> UserRecord? {
        alice.userhash(algorithm: algorithm) == hash && realm == alice.realm ? alice : nil
    }

    private mutating func verify(
        _ credentials: [AuthenticationParameters], method: String = "REGISTER", uri: String = "sip:sip.example.com", now: WallTime = t0
    ) -> DigestVerdict {
        verifier.verify(
            method: method, requestURI: uri, credentials: credentials, source: "192.0.2.10", now: now,
            nonceCounts: &tracker, user: Self.lookup, hashedUser: Self.hashedLookup)
    }

    private func challenge(_ algorithm: DigestAlgorithm, at now: WallTime = t0) -> DigestChallenge {
        verifier.challenges(source: "192.0.2.10", now: now).first { $0.algorithm == algorithm }!
    }

    @Test("RFC 3261 22.1: a request without credentials is challenged")
    mutating func noCredentials() {
        #expect(verify([]) == .challenge(stale: false))
    }

    @Test("RFC 8760 2.4: one challenge per algorithm in the configured order of preference, same nonce")
    func challengeOrder() {
        let challenges = verifier.challenges(source: nil, now: Self.t0)
        #expect(challenges.map(\.algorithm) == [.sha512_256, .sha256, .md5])
        #expect(Set(challenges.map(\.nonce)).count == 1)
        #expect(
            challenges[1].headerValue
                == "Digest realm=\"sip.example.com\", nonce=\"\(challenges[1].nonce)\", opaque=\"sb1\", algorithm=SHA-256, qop=\"auth\", userhash=true")
        // Offered in the configured order (MD5 first for clients that answer only the first), once each.
        let md5First = DigestChallenge.offer(realm: "r", nonce: "n", algorithms: [.md5, .sha256, .md5])
        #expect(md5First.map(\.algorithm) == [.md5, .sha256])
        #expect(DigestChallenge.offer(realm: "r", nonce: "n", algorithms: [.md5], stale: true)[0].headerValue
            == "Digest realm=\"r\", nonce=\"n\", algorithm=MD5, qop=\"auth\", stale=true")
        #expect(DigestChallenge.quoted("a\"b\\c") == "\"a\\\"b\\\\c\"")
    }

    @Test("RFC 7616 3.3: challenges parse back with SIPCore's header parser")
    func challengeParsesBack() throws {
        let stale = verifier.challenges(stale: true, source: nil, now: Self.t0)[0]
        let parsed = try AuthenticationParameters(stale.headerValue, header: .wwwAuthenticate)
        #expect(parsed.isDigest)
        #expect(parsed.realm == Self.realm)
        #expect(parsed.nonce == stale.nonce)
        #expect(parsed.algorithm == "SHA-512-256")
        #expect(parsed.qop == ["auth"])
        #expect(parsed.stale)
    }

    @Test("RFC 7616 3.4: correct credentials authenticate, with every algorithm")
    mutating func authenticates() {
        // Challenges of one 401 share a nonce, so each algorithm gets its own 401 here.
        for (i, algorithm) in DigestAlgorithm.allCases.enumerated() {
            let c = challenge(algorithm, at: Self.t0 + .milliseconds(Int64(i)))
            #expect(verify([Phone().authorization(to: c)]) == .authenticated(username: "alice"))
        }
    }

    @Test("RFC 7616 3.4: nc increasing on one nonce is accepted, a repeated nc is a replay")
    mutating func ncReplay() {
        let c = challenge(.sha256)
        #expect(verify([Phone().authorization(to: c, nc: "00000001")]) == .authenticated(username: "alice"))
        #expect(verify([Phone().authorization(to: c, method: "INVITE", uri: "sip:bob@sip.example.com", nc: "00000002")], method: "INVITE", uri: "sip:bob@sip.example.com") == .authenticated(username: "alice"))
        // The very same Authorization again: refused with a fresh, stale challenge.
        #expect(verify([Phone().authorization(to: c, nc: "00000001")]) == .challenge(stale: true))
        #expect(verify([Phone().authorization(to: c, nc: "00000002")]) == .challenge(stale: true))
        #expect(verify([Phone().authorization(to: c, nc: "00000003")]) == .authenticated(username: "alice"))
    }

    @Test("RFC 7616 3.4: a wrong password does not raise the nonce count")
    mutating func wrongPasswordLeavesCount() {
        let c = challenge(.sha256)
        #expect(verify([Phone().authorization(to: c, nc: "00000009", password: "guess")]) == .forbidden(reason: "wrong password for alice"))
        #expect(verify([Phone().authorization(to: c, nc: "00000001")]) == .authenticated(username: "alice"))
    }

    @Test("RFC 3261 22.3: a wrong password or unknown user is forbidden")
    mutating func forbidden() {
        let c = challenge(.md5)
        #expect(verify([Phone().authorization(to: c, password: "queen of hearts")]) == .forbidden(reason: "wrong password for alice"))
        var mallory = Phone()
        mallory.username = "mallory"
        #expect(verify([mallory.authorization(to: c)]) == .forbidden(reason: "unknown user"))
        #expect(DigestVerdict.forbidden(reason: "x").status(role: .proxy) == 403)
    }

    @Test("RFC 7616 3.3: the right password on an expired nonce gets stale=true")
    mutating func expiredNonce() {
        let c = challenge(.sha256)
        let late = Self.t0 + .seconds(301)
        #expect(verify([Phone().authorization(to: c)], now: late) == .challenge(stale: true))
        // A wrong password on an expired nonce is still wrong.
        #expect(verify([Phone().authorization(to: c, password: "guess")], now: late) == .forbidden(reason: "wrong password for alice"))
        #expect(DigestVerdict.challenge(stale: true).status(role: .userAgentServer) == 401)
        #expect(DigestVerdict.challenge(stale: true).status(role: .proxy) == 407)
    }

    @Test("RFC 7616 5.4: a forged nonce is challenged afresh, stale=false")
    mutating func forgedNonce() {
        var c = challenge(.sha256)
        var bytes = Base64URL.decode(c.nonce)!
        bytes[3] ^= 0x10
        c.nonce = Base64URL.encode(bytes)
        #expect(verify([Phone().authorization(to: c)]) == .challenge(stale: false))
    }

    @Test("RFC 3261 22.4: credentials for another realm are ignored, ours chosen among several")
    mutating func realms() {
        var other = challenge(.sha256)
        other.realm = "carrier.example.net"
        #expect(verify([Phone().authorization(to: other)]) == .challenge(stale: false))
        let ours = challenge(.sha256)
        #expect(verify([Phone().authorization(to: other), Phone().authorization(to: ours)]) == .authenticated(username: "alice"))
    }

    @Test("RFC 7616 3.4.6: uri must match the Request-URI")
    mutating func uriMismatch() {
        let c = challenge(.sha256)
        #expect(verify([Phone().authorization(to: c, uri: "sip:other.example.com")]) == .badRequest(reason: "uri in credentials does not match Request-URI"))
        // Equivalent by RFC 3261 19.1.4: host case, extra non-special parameter.
        #expect(verify([Phone().authorization(to: c, uri: "sip:SIP.Example.COM;foo=bar")]) == .authenticated(username: "alice"))
        #expect(verify([Phone().authorization(to: c, uri: "sip:sip.example.com;transport=tcp", nc: "00000002")]) == .badRequest(reason: "uri in credentials does not match Request-URI"))
    }

    @Test("RFC 7616 3.4: mandatory parameters missing are a 400")
    mutating func missingParameters() throws {
        let c = challenge(.sha256)
        let n = c.nonce
        let base = "Digest username=\"alice\", realm=\"sip.example.com\", nonce=\"\(n)\", uri=\"sip:sip.example.com\", response=\"00\", algorithm=SHA-256"
        #expect(verify([try AuthenticationParameters(base + ", qop=auth, nc=00000001")]) == .badRequest(reason: "missing cnonce with qop"))
        #expect(verify([try AuthenticationParameters(base + ", qop=auth, cnonce=\"x\"")]) == .badRequest(reason: "missing nc with qop"))
        #expect(verify([try AuthenticationParameters(base + ", qop=auth, nc=00000000, cnonce=\"x\"")]) == .badRequest(reason: "nc is zero"))
        #expect(verify([try AuthenticationParameters(base + ", qop=auth, nc=zz, cnonce=\"x\"")]) == .badRequest(reason: "malformed nc"))
        #expect(verify([try AuthenticationParameters(base + ", qop=auth-int, nc=00000001, cnonce=\"x\"")]) == .badRequest(reason: "qop auth-int not offered"))
        #expect(verify([try AuthenticationParameters("Digest realm=\"sip.example.com\", nonce=\"\(n)\", uri=\"sip:a\", response=\"0\"")]) == .badRequest(reason: "missing username in credentials"))
        #expect(verify([try AuthenticationParameters("Digest username=\"a\", realm=\"sip.example.com\", uri=\"sip:a\", response=\"0\"")]) == .badRequest(reason: "missing nonce in credentials"))
        #expect(verify([try AuthenticationParameters("Digest username=\"a\", realm=\"sip.example.com\", nonce=\"\(n)\", response=\"0\"")]) == .badRequest(reason: "missing uri in credentials"))
        #expect(verify([try AuthenticationParameters("Digest username=\"a\", realm=\"sip.example.com\", nonce=\"\(n)\", uri=\"sip:a\"")]) == .badRequest(reason: "missing response in credentials"))
    }

    @Test("RFC 7616 3.4: an algorithm not offered is challenged again; none means MD5")
    mutating func algorithms() {
        let md5 = challenge(.md5)
        #expect(verify([Phone().authorization(to: md5, sendsAlgorithm: false)]) == .authenticated(username: "alice"))
        let c = challenge(.sha256, at: Self.t0 + .seconds(1))
        #expect(verify([Phone().authorization(to: c, sendsAlgorithm: false, extra: ", algorithm=MD5-sess")]) == .challenge(stale: false))
        // SHA-256 answer without algorithm= is taken as MD5, and fails as such.
        #expect(verify([Phone().authorization(to: c, sendsAlgorithm: false)]) == .forbidden(reason: "wrong password for alice"))
        #expect(verify([Phone().authorization(to: c)]) == .authenticated(username: "alice"))
    }

    @Test("RFC 2069: a response without qop from an old phone is accepted once per nonce")
    mutating func legacyNoQop() throws {
        let c = challenge(.md5)
        #expect(verify([Phone().authorization(to: c, nc: nil)]) == .authenticated(username: "alice"))
        #expect(verify([Phone().authorization(to: c, nc: nil)]) == .challenge(stale: true))
        let strict = DigestVerifier(configuration: try DigestConfiguration(
            realm: Self.realm, nonces: verifier.configuration.nonces, acceptsResponsesWithoutQop: false))
        let c2 = strict.challenges(source: nil, now: Self.t0).last!
        #expect(strict.verify(
            method: "REGISTER", requestURI: "sip:sip.example.com", credentials: [Phone().authorization(to: c2, nc: nil)],
            source: nil, now: Self.t0, nonceCounts: &tracker, user: Self.lookup) == .badRequest(reason: "missing qop in credentials"))
    }

    @Test("RFC 7616 3.4.4: userhash=true finds the user by H(username:realm)")
    mutating func userhash() {
        let c = challenge(.sha512_256)
        #expect(verify([Phone().authorization(to: c, userhash: true)]) == .authenticated(username: "alice"))
        var mallory = Phone()
        mallory.username = "mallory"
        #expect(verify([mallory.authorization(to: challenge(.sha256), userhash: true)]) == .forbidden(reason: "unknown user"))
    }

    @Test("RFC 7616 3.4: an opaque that differs from ours is challenged again")
    mutating func opaqueMismatch() {
        var c = challenge(.sha256)
        c.opaque = "not-ours"
        #expect(verify([Phone().authorization(to: c)]) == .challenge(stale: false))
    }

    @Test("RFC 3261 22.3: a proxy reads Proxy-Authorization from a parsed INVITE")
    mutating func fromMessage() throws {
        let c = challenge(.sha256)
        let uri = "sip:+15551234567@sip.example.com;user=phone"
        let credentials = Phone().authorization(to: c, method: "INVITE", uri: uri)
        let header = "Digest " + credentials.parameters.map { p in p.wasQuoted ? "\(p.name)=\(DigestChallenge.quoted(p.value))" : "\(p.name)=\(p.value)" }.joined(separator: ", ")
        let text = "INVITE \(uri) SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds\r\n"
            + "Max-Forwards: 70\r\nTo: <\(uri)>\r\nFrom: <sip:alice@sip.example.com>;tag=1928301774\r\n"
            + "Call-ID: a84b4c76e66710\r\nCSeq: 2 INVITE\r\nContact: <sip:alice@192.0.2.10>\r\n"
            + "Proxy-Authorization: \(header)\r\nContent-Length: 0\r\n\r\n"
        let message = try SIPMessage(text)
        let verdict = verifier.verify(request: message, role: .proxy, source: "192.0.2.10", now: Self.t0, nonceCounts: &tracker, user: Self.lookup)
        #expect(verdict == .authenticated(username: "alice"))
        // The same message seen by a registrar has no Authorization.
        #expect(verifier.verify(request: message, role: .userAgentServer, source: nil, now: Self.t0, nonceCounts: &tracker, user: Self.lookup) == .challenge(stale: false))
    }

    @Test("RFC 7616 3.3: configuration refuses an empty realm or no algorithm")
    func configuration() {
        let nonces = verifier.configuration.nonces
        #expect(throws: DigestConfiguration.Error.emptyRealm) { try DigestConfiguration(realm: "", nonces: nonces) }
        #expect(throws: DigestConfiguration.Error.noAlgorithms) { try DigestConfiguration(realm: "r", algorithms: [], nonces: nonces) }
    }
}
