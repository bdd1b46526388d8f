import Testing
@testable import Registrar

@Suite("Digest hashing") struct DigestHashingTests {
    // RFC 7616 section 3.9.1 (with erratum 4495: "Circle of Life", lowercase "of").
    static let nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
    static let cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

    @Test("RFC 7616 3.9.1: MD5 response for Mufasa")
    func rfc7616MD5Example() {
        let ha1 = HA1.compute(username: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life", algorithm: .md5)
        let response = DigestResponse.compute(
            ha1: ha1, algorithm: .md5, method: "GET", uri: "/dir/index.html", nonce: Self.nonce,
            qop: (nc: "00000001", cnonce: Self.cnonce))
        #expect(response == "8ca523f5e9506fed4657c9700eebdbec")
    }

    @Test("RFC 7616 3.9.1: SHA-256 response for Mufasa")
    func rfc7616SHA256Example() {
        let ha1 = HA1.compute(username: "Mufasa", realm: "http-auth@example.org", password: "Circle of Life", algorithm: .sha256)
        let response = DigestResponse.compute(
            ha1: ha1, algorithm: .sha256, method: "GET", uri: "/dir/index.html", nonce: Self.nonce,
            qop: (nc: "00000001", cnonce: Self.cnonce))
        #expect(response == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")
    }

    // The printed userhash and response of RFC 7616 3.9.2 are not the hashes
    // of its inputs (erratum 4897, reported); these are SHA-512/256 of the
    // RFC's inputs, computed independently with Python's hashlib.
    @Test("RFC 7616 3.9.2: SHA-512-256 with userhash for Jäsøn Doe")
    func rfc7616SHA512_256UserhashExample() {
        let user = UserRecord(username: "J\u{e4}s\u{f8}n Doe", realm: "api@example.org", password: "Secret, or not?")
        #expect(user.userhash(algorithm: .sha512_256) == "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b")
        let response = DigestResponse.compute(
            ha1: user.ha1[.sha512_256]!, algorithm: .sha512_256, method: "GET", uri: "/doe.json",
            nonce: "5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK",
            qop: (nc: "00000001", cnonce: "NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v"))
        #expect(response == "3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5")
        #expect(DigestVerifier.decodeExtendedValue("UTF-8''J%C3%A4s%C3%B8n%20Doe") == "J\u{e4}s\u{f8}n Doe")
        #expect(DigestVerifier.decodeExtendedValue("ISO-8859-1''abc") == nil)
    }

    @Test("RFC 2069: response without qop is KD(HA1, nonce:HA2)")
    func rfc2069Response() {
        // RFC 2617 3.5 example inputs, computed without qop.
        let ha1 = HA1.compute(username: "Mufasa", realm: "testrealm@host.com", password: "Circle Of Life", algorithm: .md5)
        #expect(ha1 == "939e7578ed9e3c518a452acee763bce9")
        let ha2 = DigestAlgorithm.md5.hexDigest("GET:/dir/index.html")
        let expected = DigestAlgorithm.md5.hexDigest("\(ha1):dcd98b7102dd2f0e8b11d0f600bfb0c093:\(ha2)")
        #expect(
            DigestResponse.compute(ha1: ha1, algorithm: .md5, method: "GET", uri: "/dir/index.html", nonce: "dcd98b7102dd2f0e8b11d0f600bfb0c093", qop: nil)
                == expected)
        #expect(expected == "670fd8c2df070c60b045671b8b24ff02")
    }

    @Test("RFC 7616 6.1: the hash functions behind the tokens (FIPS 180-4 \"abc\")")
    func hashFunctions() {
        #expect(DigestAlgorithm.md5.hexDigest("abc") == "900150983cd24fb0d6963f7d28e17f72")
        #expect(DigestAlgorithm.sha256.hexDigest("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(DigestAlgorithm.sha512_256.hexDigest("abc") == "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23")
    }

    @Test("RFC 4231 4.2: HMAC-SHA-256 test case 1")
    func hmac() {
        let mac = HMACSHA256.authenticationCode(key: [UInt8](repeating: 0x0b, count: 20), message: Array("Hi There".utf8))
        #expect(Hex.lowercase(mac) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("RFC 4231 4.2, 4.3: a key signs again and again, from several threads at once, with the same results")
    func hmacKeyReused() async {
        let one = HMACSHA256.Key([UInt8](repeating: 0x0b, count: 20))
        let two = HMACSHA256.Key(Array("Jefe".utf8))
        let results = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    (0..<50).flatMap { _ in
                        [
                            Hex.lowercase(one.authenticationCode(Array("Hi There".utf8))),
                            Hex.lowercase(two.authenticationCode(Array("what do ya want for nothing?".utf8))),
                        ]
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(results.count == 400)
        #expect(Set(results) == [
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        ])
    }

    @Test("RFC 7616 3.4.2: HA1 for every algorithm, no password kept")
    func ha1ForEveryAlgorithm() {
        let all = HA1.all(username: "alice", realm: "sip.example.com", password: "s3cret")
        #expect(Set(all.keys) == Set(DigestAlgorithm.allCases))
        #expect(all[.md5]?.count == 32)
        #expect(all[.sha256]?.count == 64)
        #expect(all[.sha512_256]?.count == 64)
        #expect(all[.md5] == DigestAlgorithm.md5.hexDigest("alice:sip.example.com:s3cret"))
        let record = UserRecord(username: "alice", realm: "sip.example.com", password: "s3cret")
        #expect(record.ha1 == all)
        #expect(!record.ha1.values.contains("s3cret"))
    }

    @Test("RFC 4648 5: base64url round trip, non-canonical text refused")
    func base64url() {
        for n in 0..<10 {
            let bytes = (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 250) }
            #expect(Base64URL.decode(Base64URL.encode(bytes)) == bytes)
        }
        #expect(Base64URL.encode(Array("foob".utf8)) == "Zm9vYg")
        #expect(Base64URL.decode("Zm9vYh") == nil)  // trailing bits set
        #expect(Base64URL.decode("Zm9vY") == nil)
        #expect(Base64URL.decode("Zm9v+g") == nil)
    }
}
