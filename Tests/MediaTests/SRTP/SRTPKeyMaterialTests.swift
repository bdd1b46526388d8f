import SIPCore
import Testing

@testable import Media

@Suite("SDES key material (RFC 4568)")
struct SRTPKeyMaterialTests {
    @Test("RFC 4568 6.1: inline key||salt, lifetime 2^31 and MKI 1:4 are read from a=crypto")
    func parsesCryptoAttribute() throws {
        // The key||salt of RFC 4568's own example in section 4.
        let crypto = try #require(
            SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4"))
        let key = try SRTPKeyMaterial(crypto: crypto)
        #expect(key.suite == .aesCM128HMACSHA1_80)
        #expect(key.lifetime == 1 << 20)
        #expect(key.mki == SDESKeyParameter.MKI(value: 1, length: 4))
        #expect(key.mkiBytes == [0, 0, 0, 1])
        #expect(key.keyAndSalt.count == 30)

        let lifetime31 = try #require(
            SDESCrypto(attributeValue: "2 AES_CM_128_HMAC_SHA1_32 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^31"))
        #expect(try SRTPKeyMaterial(crypto: lifetime31).lifetime == 1 << 31)
    }

    @Test("RFC 4568 6.2, RFC 7714 14.2: each suite's key||salt length is enforced")
    func keyLengths() throws {
        #expect(SRTPCryptoSuite.aesCM128HMACSHA1_80.keyMaterialLength == 30)
        #expect(SRTPCryptoSuite.aesCM128HMACSHA1_32.keyMaterialLength == 30)
        #expect(SRTPCryptoSuite.aeadAES128GCM.keyMaterialLength == 28)
        #expect(SRTPCryptoSuite.aeadAES256GCM.keyMaterialLength == 44)
        let short = try #require(SDESCrypto(attributeValue: "1 AEAD_AES_256_GCM inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR"))
        #expect(throws: SRTPKeyError.wrongKeyLength(expected: 44, actual: 30)) { try SRTPKeyMaterial(crypto: short) }
    }

    @Test("RFC 4568 9.1: what Switchboard cannot honour is refused with a typed error (488)")
    func refusals() throws {
        let cases: [(String, SRTPKeyError)] = [
            ("1 AES_256_CM_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", .unsupportedSuite("AES_256_CM_HMAC_SHA1_80")),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR UNENCRYPTED_SRTP", .unsupportedSessionParameter("UNENCRYPTED_SRTP")),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR KDR=1", .unsupportedSessionParameter("KDR=1")),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|2^20|2:4", .multipleKeys(2)),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^49", .invalidLifetime(1 << 49)),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|0", .invalidLifetime(0)),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|300:1", .invalidMKI(value: 300, length: 1)),
            ("1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCa*VmcjkpPywjNWhcYD0mXXtxaVBR", .invalidKeyEncoding),
        ]
        for (value, expected) in cases {
            let crypto = try #require(SDESCrypto(attributeValue: value), "\(value)")
            #expect(throws: expected) { try SRTPKeyMaterial(crypto: crypto) }
            #expect(expected.sipStatus == 488)
        }
        let kdrZero = try #require(SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR KDR=0"))
        #expect(throws: Never.self) { try SRTPKeyMaterial(crypto: kdrZero) }
    }

    @Test("RFC 4568 6.1: a generated key survives the a=crypto round trip, and keys differ")
    func generatedRoundTrip() throws {
        for suite in SRTPCryptoSuite.allCases {
            let key = try SRTPKeyMaterial.generate(suite: suite, mki: .init(value: 5, length: 2))
            let attribute = key.sdesCrypto(tag: 3)
            #expect(attribute.tag == 3)
            let parsed = try #require(SDESCrypto(attributeValue: attribute.attributeValue))
            #expect(try SRTPKeyMaterial(crypto: parsed) == key)
        }
        #expect(SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80) != SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80))
        #expect(throws: SRTPKeyError.invalidMKI(value: 256, length: 1)) {
            try SRTPKeyMaterial.generate(suite: .aeadAES128GCM, mki: .init(value: 256, length: 1))
        }
        let withLifetime = try SRTPKeyMaterial(suite: .aesCM128HMACSHA1_80, keyAndSalt: .init(repeating: 1, count: 30), lifetime: 1 << 31)
        #expect(withLifetime.sdesCrypto(tag: 1).attributeValue.hasSuffix("|2^31"))
    }

    @Test("keys never appear in descriptions, debug descriptions or dumps")
    func redaction() throws {
        let key = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let base64 = key.sdesCrypto(tag: 1).keyParameters[0].keySalt
        var dumped = ""
        dump(key, to: &dumped)
        for text in [String(describing: key), String(reflecting: key), "\(key)", dumped] {
            #expect(!text.contains(base64))
            #expect(text.contains("<redacted>"))
        }
        #expect(String(describing: try SRTPProtector(key: key)) == "SRTPProtector(key: <redacted>)")
    }
}
