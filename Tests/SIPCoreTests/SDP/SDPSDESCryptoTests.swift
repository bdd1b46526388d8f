import Testing
@testable import SIPCore

@Suite("SDP SDES crypto (RFC 4568)")
struct SDPSDESCryptoTests {
    @Test("RFC 4568 4: AES_CM_128_HMAC_SHA1_80 inline key with lifetime 2^20 and MKI 1:32")
    func section4Example() throws {
        let crypto = try #require(
            SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32"))
        #expect(crypto.tag == 1)
        #expect(crypto.suite == "AES_CM_128_HMAC_SHA1_80")
        #expect(crypto.sessionParameters.isEmpty)
        let key = try #require(crypto.keyParameters.first)
        #expect(crypto.keyParameters.count == 1)
        #expect(key.method == "inline")
        #expect(key.keySalt == "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR")
        #expect(key.lifetime == .powerOfTwo(20))
        #expect(key.lifetime?.packets == 1_048_576)
        #expect(key.mki == SDESKeyParameter.MKI(value: 1, length: 32))
        let keySalt = try #require(key.keySaltBytes)
        #expect(keySalt.count == 30)  // 16-byte master key + 14-byte salt
        #expect(keySalt.prefix(4) == [0x3D, 0x2D, 0x6E, 0x40])
        #expect(crypto.attributeValue == "1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32")
    }

    @Test("RFC 4568 6.1: several key parameters, decimal lifetime and session parameters")
    func multipleKeysAndSessionParameters() throws {
        let value = "2 F8_128_HMAC_SHA1_80 inline:MTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5QUJjZGVm|2^20|1:4;inline:QUJjZGVmMTIzNDU2Nzg5QUJDREUwMTIzNDU2Nzg5|1048576|2:4 FEC_ORDER=FEC_SRTP KDR=1"
        let crypto = try #require(SDESCrypto(attributeValue: value))
        #expect(crypto.tag == 2)
        #expect(crypto.keyParameters.count == 2)
        #expect(crypto.keyParameters[1].lifetime == .packets(1_048_576))
        #expect(crypto.keyParameters[1].mki == SDESKeyParameter.MKI(value: 2, length: 4))
        #expect(crypto.sessionParameters == ["FEC_ORDER=FEC_SRTP", "KDR=1"])
        #expect(crypto.attributeValue == value)
    }

    @Test("RFC 4568 9.1: malformed crypto attributes are not offered as keys")
    func malformed() {
        #expect(SDESCrypto(attributeValue: "x AES_CM_128_HMAC_SHA1_80 inline:AAAA") == nil)
        #expect(SDESCrypto(attributeValue: "1234567890 AES_CM_128_HMAC_SHA1_80 inline:AAAA") == nil)
        #expect(SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80") == nil)
        #expect(SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:") == nil)
        #expect(SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|1:0") == nil)
        #expect(SDESCrypto(attributeValue: "1 AES_CM_128_HMAC_SHA1_80 inline:AAAA|2^x") == nil)
        #expect(SDESKeyParameter(keySalt: "not base64!").keySaltBytes == nil)
    }

    @Test("RFC 4568 6.1: a crypto built from key bytes renders standard base64")
    func buildFromBytes() throws {
        let crypto = SDESCrypto(tag: 1, suite: "AES_CM_128_HMAC_SHA1_80", masterKeyAndSalt: Array(0..<30))
        #expect(crypto.attributeValue == "1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd")
        #expect(crypto.keyParameters[0].keySaltBytes == Array(0..<30))
        #expect(SDPBase64.encode(Array("ab".utf8)) == "YWI=")
        #expect(SDPBase64.encode(Array("a".utf8)) == "YQ==")
        #expect(SDPBase64.decode("YWI=".utf8) == Array("ab".utf8))
    }

    /// An SDES offer in the shape baresip sends: Opus, PCMU, telephone-event, rtcp-mux, two suites.
    static let baresipOffer = sdp(
        "v=0",
        "o=- 1418469375 3154932224 IN IP4 192.168.1.10",
        "s=-",
        "c=IN IP4 192.168.1.10",
        "t=0 0",
        "m=audio 10000 RTP/SAVP 111 0 101",
        "b=AS:64",
        "a=rtpmap:111 opus/48000/2",
        "a=fmtp:111 stereo=1;sprop-stereo=1",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-15",
        "a=sendrecv",
        "a=label:1",
        "a=rtcp-mux",
        "a=ssrc:2781345170 cname:sip:alice@example.com",
        "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd",
        "a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CB",
        "a=ptime:20"
    )

    @Test("RFC 4568 7.1.1: baresip-style SDES offer parses and round-trips")
    func baresipOffer() throws {
        let description = try SessionDescription(parsing: Self.baresipOffer)
        #expect(description.description == Self.baresipOffer)
        let audio = try #require(description.media.first)
        #expect(audio.proto == "RTP/SAVP")
        #expect(audio.isSecureRTP)
        #expect(!audio.usesDTLS)
        #expect(audio.payloadTypes == [111, 0, 101])
        #expect(audio.rtpMaps.map(\.encodingName) == ["opus", "PCMU", "telephone-event"])
        #expect(audio.fmtp(for: 111)?["sprop-stereo"] == "1")
        #expect(audio.isRTCPMuxed)
        #expect(audio.ptime == 20)
        #expect(audio.bandwidths == [SDPBandwidth(type: "AS", value: 64)])
        #expect(audio.direction(in: description) == .sendrecv)
        let cryptos = audio.cryptos
        #expect(cryptos.map(\.tag) == [1, 2])
        #expect(cryptos.map(\.suite) == ["AES_CM_128_HMAC_SHA1_80", "AES_CM_128_HMAC_SHA1_32"])
        #expect(cryptos[1].keyParameters[0].keySaltBytes == Array(100..<130))
    }

    @Test("RFC 4568 5.1.2: answering replaces the offered cryptos with the chosen one")
    func answerWithOneCrypto() throws {
        var description = try SessionDescription(parsing: Self.baresipOffer)
        let chosen = SDESCrypto(tag: 2, suite: "AES_CM_128_HMAC_SHA1_32", masterKeyAndSalt: Array(0..<30))
        description.media[0].removeCryptos()
        description.media[0].addCrypto(chosen)
        let reparsed = try SessionDescription(parsing: description.bytes)
        #expect(reparsed.media[0].cryptos == [chosen])
        #expect(reparsed.media[0].attributes.last == chosen.attribute)
    }
}
