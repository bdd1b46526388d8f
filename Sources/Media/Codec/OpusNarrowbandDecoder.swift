import COpus

/// A libopus decoder at 8 kHz mono, with packet-loss concealment and in-band FEC recovery.
/// Confined to one stream's queue.
public final class OpusNarrowbandDecoder {
    public static let sampleRate: Int32 = 8000
    /// The longest Opus packet: 120 ms.
    public static let maximumFrameSamples = 960

    private let decoder: OpaquePointer
    private var pcm = [Int16](repeating: 0, count: maximumFrameSamples)

    public init() throws(OpusError) {
        var status: Int32 = OPUS_OK
        guard let decoder = opus_decoder_create(Self.sampleRate, 1, &status), status == OPUS_OK else {
            throw OpusError("opus_decoder_create", status: status)
        }
        self.decoder = decoder
    }

    deinit {
        opus_decoder_destroy(decoder)
    }

    /// Samples at 8 kHz that `packet` decodes to.
    public func sampleCount(of packet: ArraySlice<UInt8>) throws(OpusError) -> Int {
        guard !packet.isEmpty else { throw OpusError("opus_packet_get_nb_samples", status: OPUS_INVALID_PACKET) }
        let count = packet.withUnsafeBufferPointer { bytes in
            opus_packet_get_nb_samples(bytes.baseAddress!, Int32(bytes.count), Self.sampleRate)
        }
        guard count > 0, count <= Self.maximumFrameSamples else {
            throw OpusError("opus_packet_get_nb_samples", status: count < 0 ? count : OPUS_INVALID_PACKET)
        }
        return Int(count)
    }

    /// Decodes one packet.
    public func decode(_ packet: ArraySlice<UInt8>) throws(OpusError) -> [Int16] {
        try run(packet, samples: Self.maximumFrameSamples, fec: false)
    }

    /// Rebuilds the frame lost just before `nextPacket` from the FEC data it carries (RFC 6716 2.1.7);
    /// plain concealment when it carries none.
    public func recover(lostSamples: Int, from nextPacket: ArraySlice<UInt8>) throws(OpusError) -> [Int16] {
        try run(nextPacket, samples: lostSamples, fec: true)
    }

    /// Packet-loss concealment for `samples` of missing audio (a decode without data).
    public func conceal(samples: Int) throws(OpusError) -> [Int16] {
        try run(nil, samples: samples, fec: false)
    }

    private func run(_ packet: ArraySlice<UInt8>?, samples: Int, fec: Bool) throws(OpusError) -> [Int16] {
        if let packet, packet.isEmpty { throw OpusError("opus_decode", status: OPUS_INVALID_PACKET) }
        let frame = Int32(min(samples, Self.maximumFrameSamples))
        let decoded: Int32 = pcm.withUnsafeMutableBufferPointer { out in
            guard let packet else { return opus_decode(decoder, nil, 0, out.baseAddress!, frame, 0) }
            return packet.withUnsafeBufferPointer { bytes in
                opus_decode(decoder, bytes.baseAddress, Int32(bytes.count), out.baseAddress!, frame, fec ? 1 : 0)
            }
        }
        guard decoded >= 0 else { throw OpusError(fec ? "opus_decode(fec)" : "opus_decode", status: decoded) }
        return Array(pcm[..<Int(decoded)])
    }
}
