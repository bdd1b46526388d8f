/// Why a bridged call's media cannot be anchored, with the SIP status the caller gets.
public enum MediaAnchorError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The SDP could not be parsed.
    case malformedSDP(String)
    /// No stream has a codec the target takes, nor one Switchboard can transcode to (RFC 3264 6).
    case noCommonCodec
    /// The caller offered SRTP Switchboard cannot terminate (DTLS-SRTP, an unknown suite, a bad key).
    case unsupportedSRTP(String)
    /// No relay ports left (or binding failed).
    case noPorts(String)

    public var status: Int {
        switch self {
        case .malformedSDP: 400
        case .noCommonCodec, .unsupportedSRTP: 488
        case .noPorts: 503
        }
    }

    public var reason: String {
        switch self {
        case .malformedSDP: "Bad Request"
        case .noCommonCodec, .unsupportedSRTP: "Not Acceptable Here"
        case .noPorts: "Service Unavailable"
        }
    }

    public var description: String {
        switch self {
        case .malformedSDP(let why): "malformed SDP: \(why)"
        case .noCommonCodec: "no common codec"
        case .unsupportedSRTP(let why): "unsupported SRTP: \(why)"
        case .noPorts(let why): "no relay ports: \(why)"
        }
    }
}
