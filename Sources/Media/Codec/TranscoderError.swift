/// Why a transcoder could not be set up.
public enum TranscoderError: Error, Sendable, Hashable {
    /// The pair is not in ``TranscodingTable``; the call gets 488.
    case unsupportedPair(CodecPair)
    /// libopus refused to create an encoder or decoder.
    case codec(OpusError)

    /// The SIP status the offer that needed this transcoder gets.
    public var sipStatus: Int {
        switch self {
        case .unsupportedPair: 488
        case .codec: 500
        }
    }
}
