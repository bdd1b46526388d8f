import SIPCore
import Testing

@testable import Registrar

/// The byte-level helpers a REGISTER's digest check runs on: each gives what
/// the string and array forms give.
@Suite("Digest checking in fixed buffers")
struct DigestBufferTests {
    static let nonce = DigestHashingTests.nonce
    static let cnonce = DigestHashingTests.cnonce

    /// `DigestResponse.withExpected` as a string, from strings.
    static func expected(ha1: String, algorithm: DigestAlgorithm, method: String, uri: String, nonce: String, qop: (String, String)?) -> String {
        let (m, u, n) = (Array(method.utf8), Array(uri.utf8), Array(nonce.utf8))
        let (nc, cn) = (Array((qop?.0 ?? "").utf8), Array((qop?.1 ?? "").utf8))
        return Array(ha1.utf8).withUnsafeBytes { h in
            m.withUnsafeBytes { m in
                u.withUnsafeBytes { u in
                    n.withUnsafeBytes { n in
                        nc.withUnsafeBytes { nc in
                            cn.withUnsafeBytes { cn in
                                DigestResponse.withExpected(
                                    ha1: h, algorithm: algorithm,
                                    DigestResponse.Input(method: m, uri: u, nonce: n, qop: qop == nil ? nil : (nc, cn))
                                ) { String(decoding: $0, as: UTF8.self) }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test("RFC 7616 3.9.1: the response computed in buffers is the RFC's, for MD5 and SHA-256")
    func rfc7616Examples() {
        let md5 = HA1.compute(username: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life", algorithm: .md5)
        #expect(
            Self.expected(ha1: md5, algorithm: .md5, method: "GET", uri: "/dir/index.html", nonce: Self.nonce, qop: ("00000001", Self.cnonce))
                == "8ca523f5e9506fed4657c9700eebdbec")
        let sha = HA1.compute(username: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life", algorithm: .sha256)
        #expect(
            Self.expected(ha1: sha, algorithm: .sha256, method: "GET", uri: "/dir/index.html", nonce: Self.nonce, qop: ("00000001", Self.cnonce))
                == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
    }

    @Test("RFC 8760 2, RFC 2069: SHA-512-256 and responses without qop are what DigestResponse.compute gives")
    func sameAsCompute() {
        for algorithm in DigestAlgorithm.allCases {
            let ha1 = HA1.compute(username: "alice", realm: "switchboard.test", password: "pw", algorithm: algorithm)
            for qop in [("0000000a", "c0ffee"), nil] as [(String, String)?] {
                let computed = DigestResponse.compute(
                    ha1: ha1, algorithm: algorithm, method: "REGISTER", uri: "sip:switchboard.test", nonce: "abc",
                    qop: qop.map { (nc: $0.0, cnonce: $0.1) })
                #expect(Self.expected(ha1: ha1, algorithm: algorithm, method: "REGISTER", uri: "sip:switchboard.test", nonce: "abc", qop: qop) == computed)
            }
        }
    }

    @Test("RFC 7616 3.4.1: hex written into a buffer is the lowercase hex of every byte value")
    func hexIntoBuffer() {
        let bytes = (0...255).map(UInt8.init)
        var out = [UInt8](repeating: 0, count: 512)
        let n = bytes.withUnsafeBytes { b in out.withUnsafeMutableBytes { Hex.writeLowercase(b, to: $0) } }
        #expect(n == 512)
        #expect(String(decoding: out, as: UTF8.self) == Hex.lowercase(bytes))
        #expect(Hex.lowercaseBytes([0x00, 0x9f, 0xa0, 0xff]) == Array("009fa0ff".utf8))
    }

    @Test("RFC 7616 3.4.1: a response compares to the expected one ignoring ASCII case, and fails on any other difference")
    func responseComparison() {
        let expected = Array("8ca523f5e9506fed4657c9700eebdbec".utf8)
        func equal(_ text: String) -> Bool {
            expected.withUnsafeBytes { Hex.constantTimeEqualIgnoringCase(ArraySlice(text.utf8), $0) }
        }
        #expect(equal("8ca523f5e9506fed4657c9700eebdbec"))
        #expect(equal("8CA523F5E9506FED4657C9700EEBDBEC"))
        #expect(!equal("8ca523f5e9506fed4657c9700eebdbed"))
        #expect(!equal("8ca523f5e9506fed4657c9700eebdbe"))
        #expect(!equal(""))
        // Kelvin sign: full lowercasing makes it "k", never a hex digit.
        #expect(!equal("8ca523f5e9506fed4657c9700eebdb\u{212A}"))
        #expect(Hex.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Hex.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Hex.constantTimeEqual([1, 2, 3], [1, 2]))
    }

    @Test("RFC 4648 5: base64url decoded into a buffer of known length agrees with the array decoder, canonical only")
    func base64IntoBuffer() {
        for count in 0...20 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let text = Array(Base64URL.encode(bytes).utf8)
            var out = [UInt8](repeating: 0, count: count)
            #expect(out.withUnsafeMutableBytes { Base64URL.decode(text, into: $0) })
            #expect(out == bytes)
            var wrong = [UInt8](repeating: 0, count: count + 1)
            #expect(!wrong.withUnsafeMutableBytes { Base64URL.decode(text, into: $0) })
        }
        var two = [UInt8](repeating: 0, count: 1)
        // "AB" has bits set below its single octet: not canonical, as `decode` says.
        #expect(Base64URL.decode("AB") == nil)
        #expect(!two.withUnsafeMutableBytes { Base64URL.decode(Array("AB".utf8), into: $0) })
        #expect(!two.withUnsafeMutableBytes { Base64URL.decode(Array("A=".utf8), into: $0) })
    }

    @Test("RFC 4231 4.3: HMAC-SHA-256 written into a buffer")
    func hmacIntoBuffer() {
        let key = HMACSHA256.Key(Array("Jefe".utf8))
        let message = Array("what do ya want for nothing?".utf8)
        var out = [UInt8](repeating: 0, count: 32)
        message.withUnsafeBytes { m in out.withUnsafeMutableBytes { key.authenticationCode(m, into: $0) } }
        #expect(Hex.lowercase(out) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(key.authenticationCode(message) == out)
    }

    @Test("RFC 7616 5.4: a nonce checked from its bytes gets the verdict its text gets")
    func nonceFromBytes() {
        let now = WallTime(secondsSinceEpoch: 1_700_000_000)
        for binds in [false, true] {
            let nonces = StatelessNonce(secret: Array(repeating: 3, count: 32), lifetime: .seconds(60), bindsSourceAddress: binds)
            let nonce = nonces.issue(realm: "r", source: "192.0.2.1", now: now)
            var tampered = Array(nonce.utf8)
            tampered[10] = tampered[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            for (text, realm, source, at) in [
                (Array(nonce.utf8), "r", "192.0.2.1", now), (Array(nonce.utf8), "other", "192.0.2.1", now),
                (Array(nonce.utf8), "r", "192.0.2.2", now), (Array(nonce.utf8), "r", "192.0.2.1", now + .seconds(61)),
                (tampered, "r", "192.0.2.1", now), (Array(nonce.utf8.dropLast()), "r", "192.0.2.1", now), ([], "r", "192.0.2.1", now),
            ] {
                let fromText = nonces.check(String(decoding: text, as: UTF8.self), realm: realm, source: source, now: at)
                #expect(nonces.check(bytes: text, realm: realm, source: source, now: at) == fromText)
            }
            #expect(nonces.check(bytes: Array(nonce.utf8), realm: "r", source: "192.0.2.1", now: now) == .valid(issuedAt: now))
        }
    }

    @Test("RFC 7616 3.4: a nonce's count is one record whether the nonce comes as text or as bytes")
    func nonceKeys() {
        let now = WallTime(secondsSinceEpoch: 1_700_000_000)
        let long = String(repeating: "n", count: 80)
        var tracker = NonceCountTracker(capacity: 8)
        for nonce in ["short", String(repeating: "x", count: 64), long] {
            #expect(NonceCountTracker.Key(nonce) == NonceCountTracker.Key(Array(nonce.utf8)))
            #expect(tracker.record(nonce: nonce, count: 2, issuedAt: now, expiresAt: now + .seconds(60), now: now) == .accepted)
            #expect(
                tracker.record(nonce: NonceCountTracker.Key(Array(nonce.utf8)), count: 2, issuedAt: now, expiresAt: now + .seconds(60), now: now)
                    == .replayed(lastAccepted: 2))
            #expect(
                tracker.record(nonce: NonceCountTracker.Key(Array(nonce.utf8)), count: 3, issuedAt: now, expiresAt: now + .seconds(60), now: now)
                    == .accepted)
        }
        #expect(NonceCountTracker.Key("ab") != NonceCountTracker.Key("ab\u{0}"))
        #expect(tracker.count == 3)
    }

    @Test("RFC 7616 3.4.2: the HA1 the table gives the verifier is the one stored, raw or as text")
    func tableDigestUser() {
        let full = UserRecord(username: "alice", realm: "r", password: "pw")
        let odd = UserRecord(username: "bob", realm: "r", ha1: [.md5: "NOT-HEX", .sha256: HA1.compute(username: "bob", realm: "r", password: "x", algorithm: .sha256)])
        let table = UserTable([full, odd])
        for record in [full, odd] {
            for algorithm in DigestAlgorithm.allCases {
                let user = table.digestUser(username: record.username, realm: "r", algorithm: algorithm)
                #expect(user?.username == record.username)
                let text = user?.ha1.map { $0.withText { String(decoding: $0, as: UTF8.self) } }
                #expect(text == record.ha1[algorithm])
            }
        }
        #expect(table.digestUser(username: "carol", realm: "r", algorithm: .md5) == nil)
        #expect(table.digestUser(username: "alice", realm: "other", algorithm: .md5) == nil)
    }
}

@Suite("MD5 for digest authentication")
struct MD5Tests {
    static func md5(_ bytes: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: 16)
        bytes.withUnsafeBytes { b in out.withUnsafeMutableBytes { MD5.hash(b, into: $0) } }
        return Hex.lowercase(out)
    }

    @Test("RFC 1321 A.5: the test suite")
    func rfc1321Suite() {
        let suite = [
            ("", "d41d8cd98f00b204e9800998ecf8427e"),
            ("a", "0cc175b9c0f1b6a831c399e269772661"),
            ("abc", "900150983cd24fb0d6963f7d28e17f72"),
            ("message digest", "f96b697d7cb7938d525a2f31aaf161d0"),
            ("abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b"),
            ("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "d174ab98d277d9f5a5611c2c9f419d9f"),
            ("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a"),
        ]
        for (input, expected) in suite {
            #expect(Self.md5(Array(input.utf8)) == expected)
        }
    }

    @Test("RFC 1321 3.1-3.4: every length across the one- and two-block padding boundary hashes as OpenSSL's MD5")
    func paddingBoundaries() {
        for count in 0...200 {
            let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
            #expect(Self.md5(bytes) == Hex.lowercase(DigestAlgorithm.md5.hash(bytes)), "length \(count)")
        }
    }
}
