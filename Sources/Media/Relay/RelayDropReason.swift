/// Why the relay did not forward a packet; each reason is a counter.
public enum RelayDropReason: Sendable, Hashable, CustomStringConvertible {
    /// Not RTP or RTCP version 2 (or RTP on an RTCP-only port).
    case malformed
    /// Larger than the receive slot.
    case truncated
    /// From a source the leg is not latched to, and not allowed to take the latch.
    case unlatchedSource
    /// The other leg has no address yet (no SDP, hold with 0.0.0.0, not latched).
    case noDestination
    /// The socket buffer was full: real-time media is not queued.
    case sendBufferFull
    /// The kernel refused the datagram (no route, too large).
    case sendFailed
    /// The direction's transform (SRTP, transcoding) dropped it.
    case transform(MediaDropReason)

    /// A metrics label: `unlatched-source`, `transform-authenticationFailed`.
    public var description: String {
        switch self {
        case .malformed: "malformed"
        case .truncated: "truncated"
        case .unlatchedSource: "unlatched-source"
        case .noDestination: "no-destination"
        case .sendBufferFull: "send-buffer-full"
        case .sendFailed: "send-failed"
        case .transform(let reason): "transform-\(reason.rawValue)"
        }
    }
}
