import Testing
@testable import Registrar

@Suite("Stateless nonces") struct StatelessNonceTests {
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    static let t0 = WallTime(secondsSinceEpoch: 1_700_000_000)
    let nonces = StatelessNonce(secret: secret, lifetime: .seconds(300))

    @Test("RFC 7616 3.3: a nonce we issued is valid within its lifetime")
    func validWithinLifetime() {
        let nonce = nonces.issue(realm: "sip.example.com", source: nil, now: Self.t0)
        #expect(nonces.check(nonce, realm: "sip.example.com", source: nil, now: Self.t0) == .valid(issuedAt: Self.t0))
        let late = Self.t0 + .milliseconds(299_999)
        #expect(nonces.check(nonce, realm: "sip.example.com", source: nil, now: late) == .valid(issuedAt: Self.t0))
        // Token characters only: it can be quoted without escapes.
        #expect(nonce.utf8.allSatisfy { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || ($0 >= 0x30 && $0 <= 0x7a) })
    }

    @Test("RFC 7616 3.3: a nonce past its lifetime is stale, not invalid")
    func staleAfterLifetime() {
        let nonce = nonces.issue(realm: "sip.example.com", source: nil, now: Self.t0)
        #expect(nonces.check(nonce, realm: "sip.example.com", source: nil, now: Self.t0 + .seconds(300)) == .stale(issuedAt: Self.t0))
        #expect(nonces.check(nonce, realm: "sip.example.com", source: nil, now: Self.t0 + .seconds(86_400)) == .stale(issuedAt: Self.t0))
    }

    @Test("RFC 7616 5.4: a forged or altered nonce is invalid")
    func forgedIsInvalid() {
        let nonce = nonces.issue(realm: "sip.example.com", source: nil, now: Self.t0)
        var bytes = Base64URL.decode(nonce)!
        // A later issue time with the old signature.
        bytes[7] ^= 0x01
        #expect(nonces.check(Base64URL.encode(bytes), realm: "sip.example.com", source: nil, now: Self.t0) == .invalid)
        var mac = Base64URL.decode(nonce)!
        mac[20] ^= 0x80
        #expect(nonces.check(Base64URL.encode(mac), realm: "sip.example.com", source: nil, now: Self.t0) == .invalid)
        let other = StatelessNonce(secret: Array("another secret, 16+ bytes".utf8), lifetime: .seconds(300))
        #expect(nonces.check(other.issue(realm: "sip.example.com", source: nil, now: Self.t0), realm: "sip.example.com", source: nil, now: Self.t0) == .invalid)
        #expect(nonces.check("dcd98b7102dd2f0e8b11d0f600bfb0c093", realm: "sip.example.com", source: nil, now: Self.t0) == .invalid)
        #expect(nonces.check("", realm: "sip.example.com", source: nil, now: Self.t0) == .invalid)
        #expect(nonces.check(nonce + "AA", realm: "sip.example.com", source: nil, now: Self.t0) == .invalid)
    }

    @Test("RFC 7616 5.4: the nonce is bound to its realm, and to the source when asked")
    func boundToRealmAndSource() {
        let nonce = nonces.issue(realm: "a.example.com", source: "192.0.2.1", now: Self.t0)
        #expect(nonces.check(nonce, realm: "b.example.com", source: "192.0.2.1", now: Self.t0) == .invalid)
        // Not bound by default: a NAT rebinding keeps the nonce good.
        #expect(nonces.check(nonce, realm: "a.example.com", source: "198.51.100.9", now: Self.t0) == .valid(issuedAt: Self.t0))

        let bound = StatelessNonce(secret: Self.secret, lifetime: .seconds(300), bindsSourceAddress: true)
        let n = bound.issue(realm: "a.example.com", source: "192.0.2.1", now: Self.t0)
        #expect(bound.check(n, realm: "a.example.com", source: "192.0.2.1", now: Self.t0) == .valid(issuedAt: Self.t0))
        #expect(bound.check(n, realm: "a.example.com", source: "192.0.2.10", now: Self.t0) == .invalid)
    }

    @Test("RFC 7616 5.4: a retired secret still verifies, for rotation")
    func retiredSecret() {
        let old = StatelessNonce(secret: Array("the old secret, 16+ bytes".utf8), lifetime: .seconds(300))
        let rotated = StatelessNonce(secret: Self.secret, retiredSecrets: [Array("the old secret, 16+ bytes".utf8)], lifetime: .seconds(300))
        let nonce = old.issue(realm: "r", source: nil, now: Self.t0)
        #expect(rotated.check(nonce, realm: "r", source: nil, now: Self.t0) == .valid(issuedAt: Self.t0))
        #expect(nonces.check(nonce, realm: "r", source: nil, now: Self.t0) == .invalid)
    }

    @Test("RFC 7616 3.3: a nonce issued further ahead than one lifetime is invalid")
    func fromTheFuture() {
        let ahead = nonces.issue(realm: "r", source: nil, now: Self.t0 + .seconds(60))
        #expect(nonces.check(ahead, realm: "r", source: nil, now: Self.t0) == .valid(issuedAt: Self.t0 + .seconds(60)))
        let farAhead = nonces.issue(realm: "r", source: nil, now: Self.t0 + .seconds(301))
        #expect(nonces.check(farAhead, realm: "r", source: nil, now: Self.t0) == .invalid)
    }
}
