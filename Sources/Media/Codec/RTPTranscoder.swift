/// One direction of a transcoded call leg: RTP in one codec becomes RTP in another (Opus ↔ PCMU/PCMA,
/// PCMU ↔ PCMA), with payload types rewritten, timestamps moved between clock rates, sequence numbers
/// kept continuous and RFC 4733 telephone events passed through. Confined to the stream's queue.
///
/// Lost Opus packets are filled in: the one just before a received packet from that packet's in-band FEC,
/// earlier ones by concealment, so the G.711 side hears no gap. Audio for Opus is sent in 20 ms frames.
public final class RTPTranscoder: MediaPacketTransform {
    /// One side's negotiated payload types.
    public struct Endpoint: Sendable, Hashable {
        public var codec: AudioCodec
        public var payloadType: UInt8
        /// `telephone-event` at this side's clock rate; nil when the side did not negotiate it.
        public var telephoneEventPayloadType: UInt8?
        /// This side's Opus decoder takes in-band FEC (RFC 7587 6.1 `useinbandfec=1`; absent means 0).
        /// Opus sent to it carries FEC only then: FEC costs the encoder about a quarter more CPU, and bits.
        public var takesInBandFEC: Bool

        public init(codec: AudioCodec, payloadType: UInt8, telephoneEventPayloadType: UInt8? = nil, takesInBandFEC: Bool = false) {
            self.codec = codec
            self.payloadType = payloadType
            self.telephoneEventPayloadType = telephoneEventPayloadType
            self.takesInBandFEC = takesInBandFEC
        }
    }

    /// Audio is handled at 8 kHz between decoder and encoder.
    static let pcmRate: UInt32 = 8000
    /// RFC 3550 A.1: packets this far behind the newest are late, not a restart.
    static let maxMisorder: UInt16 = 100

    public let input: Endpoint
    public let output: Endpoint
    /// Lost packets in a row that are filled in; longer gaps are left as gaps.
    public let maxConcealedPackets: Int

    private let decoder: OpusNarrowbandDecoder?
    private let encoder: OpusNarrowbandEncoder?
    private var clock: RTPClockMapping
    private var lastInput: (sequence: UInt16, ssrc: UInt32)?
    /// 8 kHz samples in the last audio packet: the size of a lost one.
    private var lastPacketSamples = 160
    private var nextOutputSequence: UInt16?
    /// Audio waiting to fill a 20 ms Opus frame, and the output timestamp of its first sample.
    private var pending: [Int16] = []
    private var pendingTimestamp: UInt32 = 0

    public init(
        from input: Endpoint, to output: Endpoint, opusBitrate: Int32 = 20_000, expectedLossPercent: Int32 = 5,
        maxConcealedPackets: Int = 5
    ) throws(TranscoderError) {
        guard TranscodingTable.isSupported(from: input.codec, to: output.codec) else {
            throw .unsupportedPair(CodecPair(input.codec, output.codec))
        }
        let transcoding = TranscodingTable.needsTranscoding(from: input.codec, to: output.codec)
        do {
            decoder = transcoding && input.codec == .opus ? try OpusNarrowbandDecoder() : nil
            encoder =
                transcoding && output.codec == .opus
                ? try OpusNarrowbandEncoder(
                    bitrate: opusBitrate, inBandFEC: output.takesInBandFEC, expectedLossPercent: expectedLossPercent) : nil
        } catch {
            throw .codec(error)
        }
        self.input = input
        self.output = output
        self.maxConcealedPackets = maxConcealedPackets
        self.clock = RTPClockMapping(inputRate: input.codec.rtpClockRate, outputRate: output.codec.rtpClockRate)
    }

    /// Whether the Opus this transcoder sends carries in-band FEC.
    var encodesInBandFEC: Bool { encoder?.isInBandFECEnabled ?? false }

    /// Transcodes in the relay's buffer. The codec work (an Opus encode is ~100 µs) dwarfs the copy
    /// into and out of the array the transcoder parses and rewrites.
    public func transformRTP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        var bytes = [UInt8](packet.bytes)
        let result = transcodeRTP(&bytes)
        guard result == .forward else { return result }
        return packet.replace(with: bytes) ? .forward : .drop(.internalError)
    }

    public func transformRTCP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult {
        var bytes = [UInt8](packet.bytes)
        let result = transcodeRTCP(&bytes)
        guard result == .forward else { return result }
        return packet.replace(with: bytes) ? .forward : .drop(.internalError)
    }

    private func transcodeRTP(_ packet: inout [UInt8]) -> MediaTransformResult {
        guard let parsed = try? RTPPacket(parsing: packet) else { return .drop(.malformed) }
        let header = parsed.header
        let isEvent = header.payloadType == input.telephoneEventPayloadType
        guard isEvent || header.payloadType == input.payloadType else { return .drop(.unsupportedPayload) }

        // Sequence: late or repeated packets are dropped (the codec state has moved past them).
        var lost = 0
        if let last = lastInput, last.ssrc == header.ssrc {
            let ahead = header.sequenceNumber &- last.sequence
            if ahead == 0 || last.sequence &- header.sequenceNumber <= Self.maxMisorder { return .drop(.replayed) }
            if ahead < 0x8000 { lost = Int(ahead) - 1 }
        } else if lastInput != nil {
            // A new source: carry on one packet after the last output, with fresh sequence state.
            let lastDuration = lastPacketSamples * Int(input.codec.rtpClockRate / Self.pcmRate)
            clock.rebase(input: header.timestamp, outputGap: clock.scale(lastDuration))
        }
        lastInput = (header.sequenceNumber, header.ssrc)

        if isEvent {
            guard let eventPayloadType = output.telephoneEventPayloadType else { return .drop(.unsupportedPayload) }
            rescaleEventDurations(&packet, payload: parsed.payloadRange)
            return emit(
                &packet, headerLength: parsed.headerLength, payload: nil, payloadType: eventPayloadType,
                timestamp: clock.map(header.timestamp), skipped: lost)
        }

        guard TranscodingTable.needsTranscoding(from: input.codec, to: output.codec) else {
            return emit(
                &packet, headerLength: parsed.headerLength, payload: nil, payloadType: output.payloadType,
                timestamp: clock.map(header.timestamp), skipped: lost)
        }

        // Decode to 8 kHz, filling a short run of lost Opus packets first.
        var audio: [Int16]
        var concealedSamples = 0
        let payload = packet[parsed.payloadRange]
        if let decoder {
            do {
                let samples = try decoder.sampleCount(of: payload)
                audio = []
                if lost > 0, lost <= maxConcealedPackets {
                    for _ in 0..<(lost - 1) { audio += try decoder.conceal(samples: lastPacketSamples) }
                    audio += try decoder.recover(lostSamples: lastPacketSamples, from: payload)
                    concealedSamples = audio.count
                    lost = 0
                }
                audio += try decoder.decode(payload)
                lastPacketSamples = samples
            } catch {
                return .drop(.malformed)
            }
        } else if let law = input.codec.g711Law {
            guard !payload.isEmpty else { return .drop(.malformed) }
            audio = G711.decode(payload, law: law)
            lastPacketSamples = audio.count
        } else {
            return .drop(.internalError)
        }

        let pcmToOutput = Int(output.codec.rtpClockRate / Self.pcmRate)
        let timestamp = clock.map(header.timestamp) &- UInt32(truncatingIfNeeded: concealedSamples * pcmToOutput)

        if let law = output.codec.g711Law {
            return emit(
                &packet, headerLength: parsed.headerLength, payload: G711.encode(audio, law: law),
                payloadType: output.payloadType, timestamp: timestamp, skipped: lost)
        }
        guard let encoder else { return .drop(.internalError) }
        if pending.isEmpty || pendingTimestamp &+ UInt32(pending.count * pcmToOutput) != timestamp {
            pending.removeAll(keepingCapacity: true)
            pendingTimestamp = timestamp
        }
        pending += audio
        let frames = min(pending.count / OpusNarrowbandEncoder.frameSamples, 3)
        guard frames > 0 else {
            advanceSequence(skipped: lost)
            return .drop(.buffering)
        }
        let frameSamples = frames * OpusNarrowbandEncoder.frameSamples
        let opus: [UInt8]
        do {
            opus = try encoder.encode(Array(pending[..<frameSamples]))
        } catch {
            return .drop(.internalError)
        }
        let frameTimestamp = pendingTimestamp
        pending.removeFirst(frameSamples)
        pendingTimestamp &+= UInt32(frameSamples * pcmToOutput)
        return emit(
            &packet, headerLength: parsed.headerLength, payload: opus, payloadType: output.payloadType,
            timestamp: frameTimestamp, skipped: lost)
    }

    /// RTCP passes with the sender report's RTP timestamp moved to the output clock; packet and octet
    /// counts stay the sender's.
    private func transcodeRTCP(_ packet: inout [UInt8]) -> MediaTransformResult {
        guard input.codec.rtpClockRate != output.codec.rtpClockRate else {
            return (try? RTCPCompoundPacket(parsing: packet, reducedSize: true)) == nil ? .drop(.malformed) : .forward
        }
        let clock = self.clock
        do {
            try RTCPCompoundPacket.rewrite(&packet, reducedSize: true, ssrc: { $0 }, rtpTimestamp: { clock.peek($0) })
        } catch {
            return .drop(.malformed)
        }
        return .forward
    }

    /// Loss that was not filled in stays visible as a sequence gap.
    private func advanceSequence(skipped: Int) {
        if let next = nextOutputSequence { nextOutputSequence = next &+ UInt16(truncatingIfNeeded: skipped) }
    }

    /// Writes the output header fields and, when given, replaces the payload (dropping any padding).
    private func emit(
        _ packet: inout [UInt8], headerLength: Int, payload: [UInt8]?, payloadType: UInt8, timestamp: UInt32,
        skipped: Int
    ) -> MediaTransformResult {
        advanceSequence(skipped: skipped)
        let sequence = nextOutputSequence ?? packet.bigEndianUInt16(at: 2)
        nextOutputSequence = sequence &+ 1
        if let payload {
            packet.removeSubrange(headerLength...)
            packet.append(contentsOf: payload)
            packet[0] &= ~0x20
        }
        RTPHeader.setPayloadType(payloadType, in: &packet)
        RTPHeader.setSequenceNumber(sequence, in: &packet)
        RTPHeader.setTimestamp(timestamp, in: &packet)
        return .forward
    }

    /// RFC 4733 2.3: each event's duration is in timestamp units, so it changes with the clock rate.
    private func rescaleEventDurations(_ packet: inout [UInt8], payload: Range<Int>) {
        var offset = payload.lowerBound
        while offset + 4 <= payload.upperBound {
            let duration = Int(packet.bigEndianUInt16(at: offset + 2))
            packet.storeBigEndian(UInt16(clamping: clock.scale(duration)), at: offset + 2)
            offset += 4
        }
    }
}
