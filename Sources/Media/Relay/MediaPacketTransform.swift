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
///
/// Packets are rewritten in the relay's receive buffer: a transform on the
/// packet path neither allocates nor copies beyond its own rewrite.
public protocol MediaPacketTransform: AnyObject {
    /// Rewrites an RTP packet in place; its length may change within the buffer's capacity.
    func transformRTP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult
    /// Rewrites an RTCP packet in place; its length may change within the buffer's capacity.
    func transformRTCP(_ packet: inout MediaPacketBuffer) -> MediaTransformResult
}

extension MediaPacketTransform {
    /// The same transform for a packet held in an array (tests, tools): the array gets room to grow.
    public func transformRTP(_ bytes: inout [UInt8]) -> MediaTransformResult {
        MediaPacketBuffer.withArray(&bytes) { transformRTP(&$0) }
    }

    /// The same transform for an RTCP packet held in an array.
    public func transformRTCP(_ bytes: inout [UInt8]) -> MediaTransformResult {
        MediaPacketBuffer.withArray(&bytes) { transformRTCP(&$0) }
    }
}

extension MediaPacketBuffer {
    /// Room an array-held packet gets to grow into (an SRTP trailer, a transcoded payload).
    static let arrayHeadroom = 4096

    /// Runs `body` over `bytes` as a buffer with ``arrayHeadroom`` spare bytes, then trims the array to the result.
    static func withArray(
        _ bytes: inout [UInt8], _ body: (inout MediaPacketBuffer) -> MediaTransformResult
    ) -> MediaTransformResult {
        let count = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: arrayHeadroom))
        var length = count
        let result = bytes.withUnsafeMutableBytes { raw in
            var packet = MediaPacketBuffer(base: raw.baseAddress!, count: count, capacity: raw.count)
            defer { length = packet.count }
            return body(&packet)
        }
        bytes.removeLast(bytes.count - length)
        return result
    }
}
