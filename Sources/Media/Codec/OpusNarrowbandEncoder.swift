import COpus
import CSwitchboardShims

/// A libopus encoder for telephone audio: 8 kHz mono (narrowband, so no resampling next to G.711),
/// VoIP mode, in-band FEC on for the expected loss. Confined to one stream's queue.
public final class OpusNarrowbandEncoder {
    public static let sampleRate: Int32 = 8000
    /// 20 ms at 8 kHz.
    public static let frameSamples = 160

    private let encoder: OpaquePointer
    private var output = [UInt8](repeating: 0, count: 1500)

    /// `expectedLossPercent` tunes how much FEC the encoder spends (OPUS_SET_PACKET_LOSS_PERC).
    public init(bitrate: Int32 = 20_000, inBandFEC: Bool = true, expectedLossPercent: Int32 = 5) throws(OpusError) {
        var status: Int32 = OPUS_OK
        guard let encoder = opus_encoder_create(Self.sampleRate, 1, OPUS_APPLICATION_VOIP, &status), status == OPUS_OK
        else { throw OpusError("opus_encoder_create", status: status) }
        self.encoder = encoder
        for (request, value) in [
            (OPUS_SET_BITRATE_REQUEST, bitrate), (OPUS_SET_SIGNAL_REQUEST, OPUS_SIGNAL_VOICE),
            (OPUS_SET_INBAND_FEC_REQUEST, inBandFEC ? 1 : 0), (OPUS_SET_PACKET_LOSS_PERC_REQUEST, expectedLossPercent),
        ] {
            let result = sb_opus_encoder_set_int(encoder, request, value)
            guard result == OPUS_OK else {
                opus_encoder_destroy(encoder)
                throw OpusError("opus_encoder_ctl(\(request))", status: result)
            }
        }
    }

    deinit {
        opus_encoder_destroy(encoder)
    }

    /// Whether frames carry in-band FEC for the previous frame (OPUS_GET_INBAND_FEC).
    public var isInBandFECEnabled: Bool { integer(OPUS_GET_INBAND_FEC_REQUEST) == 1 }

    /// The loss rate the encoder plans FEC for (OPUS_GET_PACKET_LOSS_PERC).
    public var expectedLossPercent: Int32 { integer(OPUS_GET_PACKET_LOSS_PERC_REQUEST) }

    private func integer(_ request: Int32) -> Int32 {
        var value: Int32 = 0
        return sb_opus_encoder_get_int(encoder, request, &value) == OPUS_OK ? value : -1
    }

    /// Encodes 2.5, 5, 10, 20, 40 or 60 ms of samples into one Opus packet.
    public func encode(_ samples: [Int16]) throws(OpusError) -> [UInt8] {
        guard !samples.isEmpty else { throw OpusError("opus_encode", status: OPUS_BAD_ARG) }
        let capacity = Int32(output.count)
        let length = samples.withUnsafeBufferPointer { pcm in
            output.withUnsafeMutableBufferPointer { out in
                opus_encode(encoder, pcm.baseAddress!, Int32(pcm.count), out.baseAddress!, capacity)
            }
        }
        guard length > 0 else { throw OpusError("opus_encode", status: length) }
        return Array(output[..<Int(length)])
    }
}
