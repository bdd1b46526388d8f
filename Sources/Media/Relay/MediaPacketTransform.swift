/// What a transform decided for one packet.
public enum MediaTransformResult: Sendable, Equatable {
    /// Send the (possibly rewritten) packet on.
    case forward
    /// Drop it, and count why.
    case drop(MediaDropReason)
}

/// Why a packet was not relayed; each reason is a counter.
public enum MediaDropReason: String, Sendable, Hashable, CaseIterable {
    case malformed
    case authenticationFailed
    case replayed
    case unsupportedPayload
    case buffering
    case internalError
}

/// One direction's processing of packets between the two legs of a relay:
/// SRTP protect or unprotect, transcoding. Confined to the stream's queue,
/// so it may keep state (sequence numbers, codec state) without locks.
public protocol MediaPacketTransform: AnyObject {
    /// Rewrites an RTP packet in place (its length may change).
    func transformRTP(_ packet: inout [UInt8]) -> MediaTransformResult
    /// Rewrites an RTCP packet in place (its length may change).
    func transformRTCP(_ packet: inout [UInt8]) -> MediaTransformResult
}
