import Testing

@testable import Media

@Suite("RTCP compound packets (RFC 3550 6.4, A.2)")
struct RTCPCompoundPacketTests {
    static let block = RTCPReportBlock(
        ssrc: 0x0A0B_0C0D, fractionLost: 64, cumulativeLost: -3, extendedHighestSequence: 0x0001_0010, jitter: 42,
        lastSenderReport: 0x1234_5678, delaySinceLastSenderReport: 65536)

    /// SR + SDES (CNAME) + BYE, as a sender ending a call would send.
    static func compound() -> [UInt8] {
        var bytes: [UInt8] = []
        RTCPSenderReport(
            ssrc: 0x1111_1111, ntpTimestamp: 0xE000_0000_8000_0000, rtpTimestamp: 16000, packetCount: 100, octetCount: 16000,
            reportBlocks: [block]
        ).write(into: &bytes)
        // SDES: one chunk, CNAME "ab", end, padded to 32 bits.
        bytes += [0x81, 202, 0x00, 0x03, 0x11, 0x11, 0x11, 0x11, 0x01, 0x02, 0x61, 0x62, 0x00, 0x00, 0x00, 0x00]
        // BYE from the same source.
        bytes += [0x81, 203, 0x00, 0x01, 0x11, 0x11, 0x11, 0x11]
        return bytes
    }

    @Test("RFC 3550 6.4.1: sender report fields and report blocks (loss, jitter) are read")
    func parsesReports() throws {
        let bytes = Self.compound()
        let compound = try RTCPCompoundPacket(parsing: bytes)
        #expect(compound.packets.count == 3)
        guard case .senderReport(let report) = compound.packets[0] else {
            Issue.record("first packet is not an SR")
            return
        }
        #expect(report.ssrc == 0x1111_1111)
        #expect(report.ntpTimestamp == 0xE000_0000_8000_0000)
        #expect(report.rtpTimestamp == 16000)
        #expect(report.packetCount == 100)
        #expect(compound.reportBlocks == [Self.block])
        #expect(compound.reportBlocks[0].lossFraction == 0.25)
        #expect(compound.reportBlocks[0].cumulativeLost == -3)
        #expect(compound.serialized(original: bytes) == bytes)
    }

    @Test("RFC 3550 A.2: a compound must start with SR or RR, keep version 2, and its lengths must add up")
    func validation() {
        let good = Self.compound()
        #expect(throws: RTPParseError.compoundMustStartWithReport) {
            try RTCPCompoundPacket(parsing: Array(good[52...]))
        }
        #expect(throws: Never.self) { try RTCPCompoundPacket(parsing: Array(good[52...]), reducedSize: true) }
        var badVersion = good
        badVersion[52] = 0x41
        #expect(throws: RTPParseError.unsupportedVersion(1)) { try RTCPCompoundPacket(parsing: badVersion) }
        var badLength = good
        badLength[3] = 0x40
        #expect(throws: RTPParseError.invalidLength) { try RTCPCompoundPacket(parsing: badLength) }
        #expect(throws: RTPParseError.truncated) { try RTCPCompoundPacket(parsing: good + [0x81, 203]) }
        var paddingInFirst = good
        paddingInFirst[0] |= 0x20
        #expect(throws: RTPParseError.paddingNotLast) { try RTCPCompoundPacket(parsing: paddingInFirst) }
        var tooManyBlocks = good
        tooManyBlocks[0] = 0x82
        #expect(throws: RTPParseError.invalidReportCount) { try RTCPCompoundPacket(parsing: tooManyBlocks) }
    }

    @Test("RFC 3550 7.1: SSRC rewriting reaches SR sender, report blocks, SDES chunks and BYE")
    func rewritesSSRCs() throws {
        var bytes = Self.compound()
        try RTCPCompoundPacket.rewrite(&bytes, ssrc: { $0 == 0x1111_1111 ? 0x2222_2222 : $0 ^ 0xFFFF_FFFF })
        let compound = try RTCPCompoundPacket(parsing: bytes)
        guard case .senderReport(let report) = compound.packets[0] else {
            Issue.record("first packet is not an SR")
            return
        }
        #expect(report.ssrc == 0x2222_2222)
        #expect(report.reportBlocks[0].ssrc == 0x0A0B_0C0D ^ 0xFFFF_FFFF)
        #expect(report.rtpTimestamp == 16000)
        #expect(Array(bytes[56..<60]) == [0x22, 0x22, 0x22, 0x22])
        #expect(Array(bytes[(bytes.count - 4)...]) == [0x22, 0x22, 0x22, 0x22])
        // Nothing else moved.
        var expected = Self.compound()
        expected.replaceSubrange(4..<8, with: [0x22, 0x22, 0x22, 0x22])
        expected.replaceSubrange(28..<32, with: [0xF5, 0xF4, 0xF3, 0xF2])
        expected.replaceSubrange(56..<60, with: [0x22, 0x22, 0x22, 0x22])
        expected.replaceSubrange((expected.count - 4)..., with: [0x22, 0x22, 0x22, 0x22])
        #expect(bytes == expected)
    }

    @Test("RFC 4585 6.1: feedback packets have sender and media source rewritten")
    func rewritesFeedback() throws {
        var bytes: [UInt8] = []
        RTCPReceiverReport(ssrc: 1).write(into: &bytes)
        // PLI: PSFB, FMT 1, sender 1, media source 5.
        bytes += [0x81, 206, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 5]
        try RTCPCompoundPacket.rewrite(&bytes, ssrc: { $0 + 100 })
        #expect(Array(bytes[4..<8]) == [0, 0, 0, 101])
        #expect(Array(bytes[12..<16]) == [0, 0, 0, 101])
        #expect(Array(bytes[16..<20]) == [0, 0, 0, 105])
    }
}
