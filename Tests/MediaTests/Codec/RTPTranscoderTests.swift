import Foundation
import SIPCore
import Testing

@testable import Media

@Suite("Transcoding (RFC 7587, RFC 3551, RFC 4733)")
struct RTPTranscoderTests {
    static let pcmu = RTPTranscoder.Endpoint(codec: .pcmu, payloadType: 0, telephoneEventPayloadType: 101)
    static let pcma = RTPTranscoder.Endpoint(codec: .pcma, payloadType: 8, telephoneEventPayloadType: 101)
    static let opus = RTPTranscoder.Endpoint(codec: .opus, payloadType: 111, telephoneEventPayloadType: 110)
    static let ssrc: UInt32 = 0xA1B2_C3D4

    /// 20 ms G.711 packets carrying a 1 kHz tone.
    static func g711Packets(count: Int, law: G711.Law = .muLaw, payloadType: UInt8 = 0, firstSequence: UInt16 = 1000) -> [[UInt8]] {
        let tone = AudioSignal.sine(frequency: 1000, amplitude: 8000, samples: count * 160)
        return (0..<count).map { (index: Int) -> [UInt8] in
            let header = RTPHeader(
                marker: index == 0, payloadType: payloadType, sequenceNumber: firstSequence &+ UInt16(index),
                timestamp: 5000 &+ UInt32(index * 160), ssrc: ssrc)
            let samples: ArraySlice<Int16> = tone[(index * 160)..<((index + 1) * 160)]
            return RTPPacket.build(header: header, payload: G711.encode(samples, law: law))
        }
    }

    /// Opus RTP packets of a 1 kHz tone, encoded directly (48 kHz RTP clock).
    static func opusPackets(count: Int) throws -> [[UInt8]] {
        let encoder = try OpusNarrowbandEncoder(expectedLossPercent: 20)
        let tone = AudioSignal.sine(frequency: 1000, amplitude: 8000, samples: count * 160)
        return try (0..<count).map { (index: Int) throws -> [UInt8] in
            let header = RTPHeader(
                payloadType: 111, sequenceNumber: UInt16(index), timestamp: UInt32(index * 960), ssrc: ssrc)
            let samples = Array(tone[(index * 160)..<((index + 1) * 160)])
            return RTPPacket.build(header: header, payload: try encoder.encode(samples))
        }
    }

    @Test("RFC 7587 4.1: PCMU → Opus → PCMU keeps a 1 kHz tone's level and frequency")
    func toneRoundTrip() throws {
        let toOpus = try RTPTranscoder(from: Self.pcmu, to: Self.opus)
        let toPCMU = try RTPTranscoder(from: Self.opus, to: Self.pcmu)
        let input = Self.g711Packets(count: 100)
        var received: [Int16] = []
        var opusTimestamps: [UInt32] = []
        var outputSequences: [UInt16] = []
        for original in input {
            var packet = original
            #expect(toOpus.transformRTP(&packet) == .forward)
            let opus = try RTPPacket(parsing: packet)
            #expect(opus.header.payloadType == 111)
            #expect(opus.header.ssrc == Self.ssrc)
            opusTimestamps.append(opus.header.timestamp)
            #expect(toPCMU.transformRTP(&packet) == .forward)
            let back = try RTPPacket(parsing: packet)
            #expect(back.header.payloadType == 0)
            #expect(back.payloadRange.count == 160)
            outputSequences.append(back.header.sequenceNumber)
            received += G711.decode(packet[back.payloadRange], law: .muLaw)
        }
        // 48 kHz clock on the Opus side: 960 per 20 ms; back at 8 kHz: the original timestamps.
        #expect(zip(opusTimestamps, opusTimestamps.dropFirst()).allSatisfy { $1 &- $0 == 960 })
        #expect(outputSequences == (0..<100).map { 1000 &+ UInt16($0) })

        // Skip the codec's start-up; compare the steady state.
        let steady = Array(received.dropFirst(20 * 160))
        let original = AudioSignal.sine(frequency: 1000, amplitude: 8000, samples: 80 * 160)
        let levelChange = 20 * log10(AudioSignal.rms(steady) / AudioSignal.rms(original))
        #expect(abs(levelChange) < 3, "level changed by \(levelChange) dB")
        let frequency = AudioSignal.zeroCrossingFrequency(steady)
        #expect(abs(frequency - 1000) < 20, "measured \(frequency) Hz")
        let tonePower = AudioSignal.goertzelPower(steady, frequency: 1000)
        for other in [500.0, 1500, 2000, 3000] {
            #expect(tonePower > 100 * AudioSignal.goertzelPower(steady, frequency: other))
        }
    }

    @Test("RFC 7587 4.1, RFC 6716 2.1.7: a lost Opus packet is rebuilt from FEC, so the G.711 side gets 40 ms with no gap")
    func lostPacketRecovered() throws {
        let transcoder = try RTPTranscoder(from: Self.opus, to: Self.pcmu)
        let packets = try Self.opusPackets(count: 40)
        var outputs: [(bytes: [UInt8], rtp: RTPPacket)] = []
        for (index, original) in packets.enumerated() where index != 30 {
            var packet = original
            #expect(transcoder.transformRTP(&packet) == .forward)
            outputs.append((packet, try RTPPacket(parsing: packet)))
        }
        let afterLoss = outputs[30]
        #expect(afterLoss.rtp.payloadRange.count == 320)
        #expect(afterLoss.rtp.header.timestamp == outputs[29].rtp.header.timestamp &+ 160)
        #expect(afterLoss.rtp.header.sequenceNumber == outputs[29].rtp.header.sequenceNumber &+ 1)
        #expect(outputs[31].rtp.header.timestamp == afterLoss.rtp.header.timestamp &+ 320)
        // The rebuilt 20 ms carries the tone at about its level, not silence.
        let rebuilt = G711.decode(afterLoss.bytes[afterLoss.rtp.payloadRange].prefix(160), law: .muLaw)
        let reference = G711.decode(outputs[29].bytes[outputs[29].rtp.payloadRange], law: .muLaw)
        #expect(AudioSignal.rms(rebuilt) > AudioSignal.rms(reference) / 2)
        #expect(AudioSignal.goertzelPower(rebuilt, frequency: 1000) > 10 * AudioSignal.goertzelPower(rebuilt, frequency: 2500))
    }

    @Test("RFC 3550 5.1: a loss longer than concealment covers stays a sequence and timestamp gap")
    func longLossLeftAsGap() throws {
        let transcoder = try RTPTranscoder(from: Self.opus, to: Self.pcmu, maxConcealedPackets: 2)
        let packets = try Self.opusPackets(count: 20)
        var outputs: [RTPPacket] = []
        for (index, original) in packets.enumerated() where !(10...12).contains(index) {
            var packet = original
            #expect(transcoder.transformRTP(&packet) == .forward)
            outputs.append(try RTPPacket(parsing: packet))
        }
        #expect(outputs[10].payloadRange.count == 160)
        #expect(outputs[10].header.sequenceNumber == outputs[9].header.sequenceNumber &+ 4)
        #expect(outputs[10].header.timestamp == outputs[9].header.timestamp &+ 4 * 160)
    }

    @Test("RFC 7587 6.1: Opus carries in-band FEC only toward a decoder that signalled useinbandfec=1")
    func fecOnlyWhenAsked() throws {
        #expect(try RTPTranscoder(from: Self.pcmu, to: Self.opus).encodesInBandFEC == false)
        var asking = Self.opus
        asking.takesInBandFEC = true
        #expect(try RTPTranscoder(from: Self.pcmu, to: asking).encodesInBandFEC)
        #expect(try RTPTranscoder(from: asking, to: Self.pcmu).encodesInBandFEC == false)
    }

    @Test("RFC 6716 2.1.7: the encoder runs with in-band FEC on and the expected loss it was given")
    func encoderSettings() throws {
        let encoder = try OpusNarrowbandEncoder(expectedLossPercent: 12)
        #expect(encoder.isInBandFECEnabled)
        #expect(encoder.expectedLossPercent == 12)
        #expect(try OpusNarrowbandEncoder(inBandFEC: false).isInBandFECEnabled == false)
    }

    @Test("RFC 6716 4.4: concealment without data produces audio of the requested length")
    func concealment() throws {
        let decoder = try OpusNarrowbandDecoder()
        let packets = try Self.opusPackets(count: 5)
        for packet in packets {
            let parsed = try RTPPacket(parsing: packet)
            #expect(try decoder.decode(packet[parsed.payloadRange]).count == 160)
        }
        let concealed = try decoder.conceal(samples: 160)
        #expect(concealed.count == 160)
        #expect(AudioSignal.rms(concealed) > 0)
        #expect(try decoder.conceal(samples: 480).count == 480)
    }

    @Test("RFC 4733 2.3, 2.5.1: telephone events pass with the payload type mapped and timestamp and duration rescaled")
    func telephoneEvents() throws {
        let toPCMU = try RTPTranscoder(from: Self.opus, to: Self.pcmu)
        var audio = try Self.opusPackets(count: 1)[0]
        #expect(toPCMU.transformRTP(&audio) == .forward)
        let audioTimestamp = try RTPPacket(parsing: audio).header.timestamp
        // Event 5, end bit clear, volume 10, duration 960 at 48 kHz (20 ms).
        var event = RTPPacket.build(
            header: RTPHeader(marker: true, payloadType: 110, sequenceNumber: 1, timestamp: 960, ssrc: Self.ssrc),
            payload: [5, 10, 0x03, 0xC0])
        #expect(toPCMU.transformRTP(&event) == .forward)
        let parsed = try RTPPacket(parsing: event)
        #expect(parsed.header.payloadType == 101)
        #expect(parsed.header.marker)
        #expect(parsed.header.timestamp == audioTimestamp &+ 160)
        #expect(Array(event[parsed.payloadRange]) == [5, 10, 0x00, 0xA0])

        let noEvents = try RTPTranscoder(from: Self.opus, to: RTPTranscoder.Endpoint(codec: .pcmu, payloadType: 0))
        var another = RTPPacket.build(
            header: RTPHeader(payloadType: 110, sequenceNumber: 1, timestamp: 960, ssrc: Self.ssrc), payload: [5, 10, 0, 0xA0])
        #expect(noEvents.transformRTP(&another) == .drop(.unsupportedPayload))
    }

    @Test("RFC 3551 6: a payload type not negotiated (comfort noise here) is dropped as unsupported")
    func unsupportedPayload() throws {
        let transcoder = try RTPTranscoder(from: Self.pcmu, to: Self.opus)
        var comfortNoise = RTPPacket.build(
            header: RTPHeader(payloadType: 13, sequenceNumber: 1, timestamp: 0, ssrc: Self.ssrc), payload: [40])
        #expect(transcoder.transformRTP(&comfortNoise) == .drop(.unsupportedPayload))
        var garbage: [UInt8] = [0x80, 0x00, 0x01]
        #expect(transcoder.transformRTP(&garbage) == .drop(.malformed))
    }

    @Test("RFC 3550 A.1: a repeated packet is dropped; 10 ms G.711 packets are buffered into 20 ms Opus frames")
    func duplicatesAndFraming() throws {
        let transcoder = try RTPTranscoder(from: Self.pcma, to: Self.opus)
        let tone = AudioSignal.sine(frequency: 1000, amplitude: 8000, samples: 320)
        func packet(_ index: Int) -> [UInt8] {
            RTPPacket.build(
                header: RTPHeader(payloadType: 8, sequenceNumber: UInt16(index), timestamp: UInt32(index * 80), ssrc: Self.ssrc),
                payload: G711.encode(tone[(index * 80)..<((index + 1) * 80)], law: .aLaw))
        }
        var first = packet(0)
        #expect(transcoder.transformRTP(&first) == .drop(.buffering))
        var second = packet(1)
        #expect(transcoder.transformRTP(&second) == .forward)
        let opus = try RTPPacket(parsing: second)
        #expect(opus.header.timestamp == 0)
        #expect(try OpusNarrowbandDecoder().sampleCount(of: second[opus.payloadRange]) == 160)
        var repeated = packet(1)
        #expect(transcoder.transformRTP(&repeated) == .drop(.replayed))
        var third = packet(2)
        #expect(transcoder.transformRTP(&third) == .drop(.buffering))
        var fourth = packet(3)
        #expect(transcoder.transformRTP(&fourth) == .forward)
        let next = try RTPPacket(parsing: fourth)
        #expect(next.header.timestamp == 960)
        #expect(next.header.sequenceNumber == opus.header.sequenceNumber &+ 1)
    }

    @Test("RFC 3551 4.5.14: PCMU → PCMA re-encodes the samples")
    func g711LawChange() throws {
        let transcoder = try RTPTranscoder(from: Self.pcmu, to: Self.pcma)
        var packet = Self.g711Packets(count: 1)[0]
        let original = try RTPPacket(parsing: packet)
        let samples = G711.decode(packet[original.payloadRange], law: .muLaw)
        #expect(transcoder.transformRTP(&packet) == .forward)
        let converted = try RTPPacket(parsing: packet)
        #expect(converted.header.payloadType == 8)
        #expect(converted.header.timestamp == original.header.timestamp)
        #expect(Array(packet[converted.payloadRange]) == G711.encode(samples, law: .aLaw))
    }

    @Test("RFC 3550 6.4.1: a sender report's RTP timestamp moves to the output clock")
    func senderReportTimestamp() throws {
        let transcoder = try RTPTranscoder(from: Self.opus, to: Self.pcmu)
        var audio = try Self.opusPackets(count: 1)[0]
        _ = transcoder.transformRTP(&audio)
        let base = try RTPPacket(parsing: audio).header.timestamp
        var report: [UInt8] = []
        RTCPSenderReport(ssrc: Self.ssrc, ntpTimestamp: 1, rtpTimestamp: 48000, packetCount: 50, octetCount: 4000)
            .write(into: &report)
        #expect(transcoder.transformRTCP(&report) == .forward)
        let parsed = try RTCPCompoundPacket(parsing: report)
        guard case .senderReport(let sr) = parsed.packets.first else {
            Issue.record("expected a sender report")
            return
        }
        #expect(sr.rtpTimestamp == base &+ 8000)
        #expect(sr.ssrc == Self.ssrc)
    }

    @Test("RFC 3264 6: the codec table says which pairs can be bridged, so others are answered 488")
    func codecTable() throws {
        for from in AudioCodec.allCases {
            for to in AudioCodec.allCases {
                #expect(TranscodingTable.isSupported(from: from, to: to))
            }
        }
        #expect(TranscodingTable.needsTranscoding(from: .pcmu, to: .pcmu) == false)
        #expect(TranscodingTable.firstSupported(offered: .opus, preferred: [.pcma, .pcmu]) == .pcma)
        #expect(AudioCodec(rtpMap: RTPMap(payloadType: 111, encodingName: "OPUS", clockRate: 48000, encodingParameters: "2")) == .opus)
        #expect(AudioCodec(rtpMap: RTPMap(payloadType: 9, encodingName: "G722", clockRate: 8000)) == nil)
        #expect(AudioCodec(rtpMap: RTPMap(payloadType: 0, encodingName: "PCMU", clockRate: 16000)) == nil)
        #expect(TranscoderError.unsupportedPair(CodecPair(.opus, .pcmu)).sipStatus == 488)
    }
}
