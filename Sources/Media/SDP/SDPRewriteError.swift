/// Why an SDP could not be prepared for the relay, with the SIP status the request gets.
public enum SDPRewriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No RTP stream keeps a codec of the allowed set (telephone-event alone does not count).
    case noCommonCodec
    /// An active m-line was given no relay ports.
    case missingRelayPorts(mediaIndex: Int)

    public var sipStatus: Int {
        switch self {
        case .noCommonCodec: 488
        case .missingRelayPorts: 500
        }
    }

    public var description: String {
        switch self {
        case .noCommonCodec: "no common codec"
        case .missingRelayPorts(let index): "no relay ports for m-line \(index)"
        }
    }
}
