import SIPCore
import Testing

@testable import Media

/// Hex helpers for known-answer vectors.
func hexBytes(_ text: String) -> [UInt8] {
    let digits = Array(text.utf8.filter { $0 != 0x20 })
    return stride(from: 0, to: digits.count, by: 2).map { index in
        UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16)!
    }
}

/// An RTP packet with a 160-byte payload for round trips.
func samplePacket(sequence: UInt16, ssrc: UInt32 = 0x1234_5678) -> [UInt8] {
    RTPPacket.build(
        header: RTPHeader(payloadType: 0, sequenceNumber: sequence, timestamp: UInt32(sequence) * 160, ssrc: ssrc),
        payload: (0..<160).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(sequence)) })
}

@Suite("SRTP (RFC 3711, RFC 4568)")
struct SRTPTests {
    /// libsrtp's reference packet (test/srtp_driver.c `srtp_validate`): master key and salt, plaintext, SRTP.
    static let referenceKey = hexBytes("e1f97a0d3e018be0d64fa32c06de4139 0ec675ad498afeebb6960b3aabe6")
    static let referencePlaintext = hexBytes("800f1234decafbadcafebabe" + String(repeating: "ab", count: 16))
    static let referenceCiphertext = hexBytes(
        "800f1234decafbadcafebabe 4e55dc4ce79978d88ca4d215949d2402 b78d6acc99ea179b8dbb")

    @Test("RFC 3711 4.3, B.3: key derivation and AES-CM/HMAC-SHA1-80 match libsrtp's published reference packet")
    func knownAnswer() throws {
        let key = try SRTPKeyMaterial(suite: .aesCM128HMACSHA1_80, keyAndSalt: Self.referenceKey)
        let protector = try SRTPProtector(key: key)
        var packet = Self.referencePlaintext
        #expect(protector.transformRTP(&packet) == .forward)
        #expect(packet == Self.referenceCiphertext)

        let unprotector = try SRTPUnprotector(key: key)
        var received = Self.referenceCiphertext
        #expect(unprotector.transformRTP(&received) == .forward)
        #expect(received == Self.referencePlaintext)
    }

    @Test("RFC 3711 4.1.1, 4.2.1: AES-CM and HMAC-SHA1 run on OpenSSL, accepted by libsrtp's known-answer checks")
    func openSSLPrimitives() throws {
        #expect(SRTPLibrary.usesOpenSSLPrimitives)
        // The reference packet above goes through them.
        let key = try SRTPKeyMaterial(suite: .aesCM128HMACSHA1_80, keyAndSalt: Self.referenceKey)
        var packet = Self.referencePlaintext
        #expect(try SRTPProtector(key: key).transformRTP(&packet) == .forward)
        #expect(packet == Self.referenceCiphertext)
    }

    @Test("RFC 3711 3.3, RFC 7714: protect then unprotect restores the packet for every suite", arguments: SRTPCryptoSuite.allCases)
    func roundTrip(suite: SRTPCryptoSuite) throws {
        let key = SRTPKeyMaterial.generate(suite: suite)
        let protector = try SRTPProtector(key: key)
        let unprotector = try SRTPUnprotector(key: key)
        for sequence in UInt16(1)...5 {
            let original = samplePacket(sequence: sequence)
            var packet = original
            #expect(protector.transformRTP(&packet) == .forward)
            #expect(packet.count == original.count + suite.rtpTagLength)
            #expect(packet[12...].prefix(160).elementsEqual(original[12...]) == false)
            #expect(unprotector.transformRTP(&packet) == .forward)
            #expect(packet == original)
        }
    }

    @Test("RFC 3711 3.4: SRTCP round trip for every suite", arguments: SRTPCryptoSuite.allCases)
    func srtcpRoundTrip(suite: SRTPCryptoSuite) throws {
        let key = SRTPKeyMaterial.generate(suite: suite)
        let protector = try SRTPProtector(key: key)
        let unprotector = try SRTPUnprotector(key: key)
        var original: [UInt8] = []
        RTCPSenderReport(
            ssrc: 0x1234_5678, ntpTimestamp: 0x0102_0304_0506_0708, rtpTimestamp: 160, packetCount: 1, octetCount: 160,
            reportBlocks: [RTCPReportBlock(ssrc: 9, fractionLost: 3, cumulativeLost: 2, extendedHighestSequence: 10, jitter: 4)]
        ).write(into: &original)
        var packet = original
        #expect(protector.transformRTCP(&packet) == .forward)
        // SRTCP index with the E flag (4 bytes), then the tag (80 bits for the AES-CM suites, 16 bytes for GCM).
        let tag = suite == .aeadAES128GCM || suite == .aeadAES256GCM ? 16 : 10
        #expect(packet.count == original.count + 4 + tag)
        #expect(unprotector.transformRTCP(&packet) == .forward)
        #expect(packet == original)
        let report = try RTCPCompoundPacket(parsing: packet)
        #expect(report.reportBlocks.first?.fractionLost == 3)
    }

    @Test("RFC 3711 3.3: a packet altered in transit fails authentication", arguments: SRTPCryptoSuite.allCases)
    func tampered(suite: SRTPCryptoSuite) throws {
        let key = SRTPKeyMaterial.generate(suite: suite)
        let protector = try SRTPProtector(key: key)
        let unprotector = try SRTPUnprotector(key: key)
        var packet = samplePacket(sequence: 7)
        #expect(protector.transformRTP(&packet) == .forward)
        packet[20] ^= 0x01
        let protectedLength = packet.count
        #expect(unprotector.transformRTP(&packet) == .drop(.authenticationFailed))
        #expect(packet.count == protectedLength)

        var rtcp: [UInt8] = []
        RTCPReceiverReport(ssrc: 1).write(into: &rtcp)
        #expect(protector.transformRTCP(&rtcp) == .forward)
        rtcp[5] ^= 0x80
        #expect(unprotector.transformRTCP(&rtcp) == .drop(.authenticationFailed))
    }

    @Test("RFC 3711 3.3.2: a replayed packet is rejected, a late one inside the window accepted")
    func replay() throws {
        let key = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let protector = try SRTPProtector(key: key)
        let unprotector = try SRTPUnprotector(key: key)
        var protected: [[UInt8]] = []
        for sequence in UInt16(100)...103 {
            var packet = samplePacket(sequence: sequence)
            #expect(protector.transformRTP(&packet) == .forward)
            protected.append(packet)
        }
        var first = protected[0]
        #expect(unprotector.transformRTP(&first) == .forward)
        var fourth = protected[3]
        #expect(unprotector.transformRTP(&fourth) == .forward)
        var again = protected[0]
        #expect(unprotector.transformRTP(&again) == .drop(.replayed))
        var late = protected[1]
        #expect(unprotector.transformRTP(&late) == .forward)
        #expect(late == samplePacket(sequence: 101))
    }

    @Test("RFC 3711 3.3.2, 9.1: a sender that restarts its sequence numbers under the same key is refused both ways")
    func restartedSender() throws {
        // What a load generator restarted on calls that already carried media does: the relay's
        // unprotect refuses the old indexes as replays, and its protect refuses to reuse keystream.
        let key = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let unprotector = try SRTPUnprotector(key: key)
        let relayProtector = try SRTPProtector(key: key)
        let firstRun = try SRTPProtector(key: key)
        for sequence in UInt16(500)...520 {
            var packet = samplePacket(sequence: sequence)
            #expect(firstRun.transformRTP(&packet) == .forward)
            #expect(unprotector.transformRTP(&packet) == .forward)
            var outbound = samplePacket(sequence: sequence)
            #expect(relayProtector.transformRTP(&outbound) == .forward)
        }
        let secondRun = try SRTPProtector(key: key)
        var restarted = samplePacket(sequence: 500)
        #expect(secondRun.transformRTP(&restarted) == .forward)
        #expect(unprotector.transformRTP(&restarted) == .drop(.replayed))
        var reused = samplePacket(sequence: 510)
        #expect(relayProtector.transformRTP(&reused) == .drop(.replayed))
    }

    @Test("RFC 3711 3.3: protecting in place needs room for the tag; without it the packet drops, untouched")
    func protectNeedsRoom() throws {
        let protector = try SRTPProtector(key: SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80))
        var bytes = samplePacket(sequence: 1)
        let original = bytes
        let result = bytes.withUnsafeMutableBytes { raw in
            var packet = MediaPacketBuffer(base: raw.baseAddress!, count: raw.count, capacity: raw.count)
            return protector.transformRTP(&packet)
        }
        #expect(result == .drop(.internalError))
        #expect(bytes == original)
    }

    @Test("RFC 3711 3.2.1: a packet protected with another master key does not authenticate")
    func wrongKey() throws {
        let protector = try SRTPProtector(key: SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80))
        let unprotector = try SRTPUnprotector(key: SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80))
        var packet = samplePacket(sequence: 1)
        #expect(protector.transformRTP(&packet) == .forward)
        #expect(unprotector.transformRTP(&packet) == .drop(.authenticationFailed))
    }

    @Test("RFC 3711 3.1: the MKI is carried in every packet and checked on receipt")
    func masterKeyIdentifier() throws {
        let mki = SDESKeyParameter.MKI(value: 1, length: 4)
        let key = try SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80, mki: mki)
        let protector = try SRTPProtector(key: key)
        let unprotector = try SRTPUnprotector(key: key)
        let original = samplePacket(sequence: 1)
        var packet = original
        #expect(protector.transformRTP(&packet) == .forward)
        #expect(packet.count == original.count + 4 + 10)
        #expect(Array(packet[original.count..<(original.count + 4)]) == [0, 0, 0, 1])
        #expect(unprotector.transformRTP(&packet) == .forward)
        #expect(packet == original)

        var wrongMKI = samplePacket(sequence: 2)
        #expect(protector.transformRTP(&wrongMKI) == .forward)
        wrongMKI[original.count + 3] = 2
        #expect(unprotector.transformRTP(&wrongMKI) == .drop(.authenticationFailed))

        var rtcp: [UInt8] = []
        RTCPReceiverReport(ssrc: 1).write(into: &rtcp)
        let rtcpOriginal = rtcp
        #expect(protector.transformRTCP(&rtcp) == .forward)
        #expect(unprotector.transformRTCP(&rtcp) == .forward)
        #expect(rtcp == rtcpOriginal)
    }

    @Test("RFC 4568 6.1: a key lifetime stops protection after that many packets")
    func lifetime() throws {
        let bytes = [UInt8](repeating: 7, count: 30)
        let key = try SRTPKeyMaterial(suite: .aesCM128HMACSHA1_80, keyAndSalt: bytes, lifetime: 2)
        let protector = try SRTPProtector(key: key)
        var first = samplePacket(sequence: 1)
        var second = samplePacket(sequence: 2)
        var third = samplePacket(sequence: 3)
        #expect(protector.transformRTP(&first) == .forward)
        #expect(protector.transformRTP(&second) == .forward)
        #expect(protector.isKeyExhausted)
        #expect(protector.transformRTP(&third) == .drop(.internalError))

        // On receipt only authentic packets count, so forged ones cannot use up the key.
        let unprotector = try SRTPUnprotector(key: key)
        var forged = samplePacket(sequence: 9) + [UInt8](repeating: 0, count: 10)
        #expect(unprotector.transformRTP(&forged) == .drop(.authenticationFailed))
        #expect(unprotector.transformRTP(&forged) == .drop(.authenticationFailed))
        #expect(unprotector.transformRTP(&first) == .forward)
        #expect(unprotector.transformRTP(&second) == .forward)
        #expect(unprotector.isKeyExhausted)
    }

    @Test("RFC 3550 5.1: a packet too short to be RTP, or not version 2, drops as malformed")
    func malformed() throws {
        let key = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let unprotector = try SRTPUnprotector(key: key)
        var short: [UInt8] = [0x80, 0, 0, 1]
        #expect(unprotector.transformRTP(&short) == .drop(.malformed))
        var version1: [UInt8] = [0x40] + [UInt8](repeating: 0, count: 30)
        #expect(unprotector.transformRTP(&version1) == .drop(.malformed))
    }
}
