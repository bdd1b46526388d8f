import Testing

@testable import Registrar

@Suite("Nonces remembered once verified")
struct VerifiedNoncesTests {
    static let now = WallTime(secondsSinceEpoch: 1_700_000_000)

    @Test("RFC 7616 5.4: a nonce checked again gets the verdict its signature gives, for its realm and source only")
    func sameVerdicts() {
        for binds in [false, true] {
            let nonces = StatelessNonce(secret: Array(repeating: 5, count: 32), lifetime: .seconds(60), bindsSourceAddress: binds)
            let nonce = nonces.issue(realm: "r", source: "192.0.2.1", now: Self.now)
            #expect(nonces.verified.count == 0)
            #expect(nonces.check(nonce, realm: "r", source: "192.0.2.1", now: Self.now) == .valid(issuedAt: Self.now))
            #expect(nonces.verified.count == 1)
            // Remembered: the same verdict again, then stale past the lifetime.
            #expect(nonces.check(nonce, realm: "r", source: "192.0.2.1", now: Self.now + .seconds(1)) == .valid(issuedAt: Self.now))
            #expect(nonces.check(nonce, realm: "r", source: "192.0.2.1", now: Self.now + .seconds(61)) == .stale(issuedAt: Self.now))
            // Another realm never matches; another source only when the source is not signed.
            #expect(nonces.check(nonce, realm: "other", source: "192.0.2.1", now: Self.now) == .invalid)
            #expect(nonces.check(nonce, realm: "r", source: "192.0.2.2", now: Self.now) == (binds ? .invalid : .valid(issuedAt: Self.now)))
            // A nonce from a node whose clock is far ahead stays refused.
            #expect(nonces.check(nonce, realm: "r", source: "192.0.2.1", now: Self.now + .seconds(-61)) == .invalid)
        }
    }

    @Test("RFC 7616 5.4: a forged nonce is never remembered; the set empties when full and nonces are checked by HMAC again")
    func onlyVerifiedAndBounded() {
        let nonces = StatelessNonce(secret: Array(repeating: 5, count: 32), lifetime: .seconds(60), verifiedCapacity: 2)
        let issued = (0..<3).map { nonces.issue(realm: "r", source: nil, now: Self.now + .milliseconds($0)) }
        var forged = Array(issued[0].utf8)
        forged[60] = forged[60] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(nonces.check(String(decoding: forged, as: UTF8.self), realm: "r", source: nil, now: Self.now) == .invalid)
        #expect(nonces.verified.count == 0)
        for (i, nonce) in issued.enumerated() {
            #expect(nonces.check(nonce, realm: "r", source: nil, now: Self.now) == .valid(issuedAt: Self.now + .milliseconds(i)))
        }
        #expect(nonces.verified.count == 1)
        for (i, nonce) in issued.enumerated() {
            #expect(nonces.check(nonce, realm: "r", source: nil, now: Self.now) == .valid(issuedAt: Self.now + .milliseconds(i)))
        }
        #expect(nonces.verified.count <= 2)
    }
}
