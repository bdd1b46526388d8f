import Testing

@testable import Media

@Suite("RTP packets (RFC 3550 5.1)")
struct RTPPacketTests {
    @Test("RFC 3550 5.1: every fixed-header field, CSRCs, extension and padding survive build and parse")
    func roundTrip() throws {
        let header = RTPHeader(
            marker: true, payloadType: 111, sequenceNumber: 0xFFFE, timestamp: 0xDEAD_BEEF, ssrc: 0x0102_0304,
            csrcs: [7, 8], headerExtension: RTPHeaderExtension(profile: 0xBEDE, data: [0x10, 0xAA, 0, 0]))
        let payload: [UInt8] = [1, 2, 3, 4, 5]
        let bytes = RTPPacket.build(header: header, payload: payload, paddingTo: 4)
        #expect(bytes.count % 4 == 0)
        #expect(bytes[0] == 0b1011_0010)  // V=2, P=1, X=1, CC=2
        #expect(bytes[1] == 0x80 | 111)
        let parsed = try RTPPacket(parsing: bytes)
        #expect(parsed.header == header)
        #expect(Array(bytes[parsed.payloadRange]) == payload)
        #expect(parsed.headerLength == 12 + 8 + 8)
        #expect(parsed.paddingLength == 3)
    }

    @Test("RFC 3550 5.1: in-place field rewrites touch only their field")
    func inPlaceRewrites() throws {
        var bytes = RTPPacket.build(
            header: RTPHeader(marker: true, payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3), payload: [9])
        RTPHeader.setPayloadType(8, in: &bytes)
        RTPHeader.setSequenceNumber(0xABCD, in: &bytes)
        RTPHeader.setTimestamp(0x1122_3344, in: &bytes)
        RTPHeader.setSSRC(0x5566_7788, in: &bytes)
        let parsed = try RTPPacket(parsing: bytes)
        #expect(parsed.header == RTPHeader(marker: true, payloadType: 8, sequenceNumber: 0xABCD, timestamp: 0x1122_3344, ssrc: 0x5566_7788))
        #expect(bytes.last == 9)
    }

    @Test("RFC 3550 5.1, A.1: truncated headers, wrong version and impossible padding are rejected")
    func rejections() {
        let good = RTPPacket.build(header: RTPHeader(payloadType: 0, sequenceNumber: 1, timestamp: 2, ssrc: 3), payload: [1, 2])
        #expect(throws: RTPParseError.truncated) { try RTPPacket(parsing: Array(good.prefix(11))) }
        var version1 = good
        version1[0] = 0x40
        #expect(throws: RTPParseError.unsupportedVersion(1)) { try RTPPacket(parsing: version1) }
        var csrcOverrun = good
        csrcOverrun[0] = 0x81
        #expect(throws: RTPParseError.truncated) { try RTPPacket(parsing: csrcOverrun) }
        var extensionOverrun = good + [0xBE, 0xDE, 0x00, 0x05]
        extensionOverrun[0] |= 0x10
        #expect(throws: RTPParseError.truncated) { try RTPPacket(parsing: extensionOverrun) }
        var zeroPadding = good
        zeroPadding[0] |= 0x20
        zeroPadding[zeroPadding.count - 1] = 0
        #expect(throws: RTPParseError.invalidPadding) { try RTPPacket(parsing: zeroPadding) }
        var tooMuchPadding = good
        tooMuchPadding[0] |= 0x20
        tooMuchPadding[tooMuchPadding.count - 1] = 3
        #expect(throws: RTPParseError.invalidPadding) { try RTPPacket(parsing: tooMuchPadding) }
    }

    @Test("RFC 5761 4: RTCP packet types 192-223 in the second octet mark RTCP on a muxed port")
    func demultiplexing() {
        #expect(RTPPacket.isRTCP([0x80, 200, 0, 6]))
        #expect(RTPPacket.isRTCP([0x80, 201, 0, 1]))
        #expect(!RTPPacket.isRTCP([0x80, 0, 0, 1]))
        #expect(!RTPPacket.isRTCP([0x80, 0x80 | 111, 0, 1]))
    }
}

@Suite("RTP reception statistics (RFC 3550 A.1, A.3, A.8)")
struct RTPStatisticsTests {
    @Test("RFC 3550 A.1: a source is valid after two sequential packets and the sequence number wraps into cycles")
    func extendedSequence() {
        var tracker = RTPSequenceTracker(firstSequence: 65534)
        let accepted1 = tracker.update(65534)
        #expect(accepted1 == false)
        let accepted2 = tracker.update(65535)
        #expect(accepted2)
        #expect(tracker.isValid)
        let accepted3 = tracker.update(0)
        #expect(accepted3)
        let accepted4 = tracker.update(1)
        #expect(accepted4)
        #expect(tracker.extendedHighestSequence == 65536 + 1)
        #expect(tracker.expected == 3)
        #expect(tracker.received == 3)
        #expect(tracker.cumulativeLost == 0)
    }

    @Test("RFC 3550 A.3: loss is expected minus received, and the fraction is per interval")
    func loss() {
        var tracker = RTPSequenceTracker(firstSequence: 100)
        for sequence in UInt16(100)...101 { _ = tracker.update(sequence) }
        #expect(tracker.takeFractionLost() == 0)
        for sequence in [UInt16(102), 104, 106, 108] {
            let accepted = tracker.update(sequence)
            #expect(accepted)
        }
        // Expected 102...108 (7), received 4: lost 3 of 7 → 3·256/7 = 109.
        #expect(tracker.cumulativeLost == 3)
        #expect(tracker.takeFractionLost() == 109)
        #expect(tracker.takeFractionLost() == 0)
    }

    @Test("RFC 3550 A.1: a large jump is a restart only when the next packet follows it")
    func restart() {
        var tracker = RTPSequenceTracker(firstSequence: 10)
        _ = tracker.update(10)
        _ = tracker.update(11)
        let accepted5 = tracker.update(20000)
        #expect(accepted5 == false)
        let accepted6 = tracker.update(20001)
        #expect(accepted6)
        #expect(tracker.extendedHighestSequence == 20001)
        #expect(tracker.received == 1)
        // A packet a little behind is a duplicate or misordered one: counted, highest unchanged.
        let accepted7 = tracker.update(19990)
        #expect(accepted7)
        #expect(tracker.extendedHighestSequence == 20001)
    }

    @Test("RFC 3550 A.8: jitter follows J += (|D| - J)/16 and stays zero for a steady stream")
    func jitter() {
        var steady = RTPJitterEstimator()
        for index in 0..<50 { steady.update(rtpTimestamp: UInt32(index * 160), arrival: UInt32(1000 + index * 160)) }
        #expect(steady.jitter == 0)

        var estimator = RTPJitterEstimator()
        estimator.update(rtpTimestamp: 0, arrival: 0)
        estimator.update(rtpTimestamp: 160, arrival: 160 + 320)
        // |D| = 320: J = 320/16 = 20.
        #expect(estimator.jitter == 20)
        estimator.update(rtpTimestamp: 320, arrival: 320 + 320)
        // D = 0: J = 20 - 20/16 = 18.75 → 18.
        #expect(estimator.jitter == 18)
    }
}
