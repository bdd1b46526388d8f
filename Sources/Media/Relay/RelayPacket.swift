/// What the relay needs to know of a datagram before relaying it: RTP or RTCP
/// (RFC 5761 4 tells them apart on a muxed port), and the fields latching checks.
enum RelayPacket: Equatable {
    /// RTP (RFC 3550 5.1): version 2, at least the fixed 12-byte header.
    case rtp(ssrc: UInt32, sequence: UInt16)
    /// RTCP (RFC 3550 6.4): version 2, packet type 192-223, at least 8 bytes.
    case rtcp(ssrc: UInt32)

    @inline(__always)
    init?(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 8, bytes[0] >> 6 == 2 else { return nil }
        let type = bytes[1]
        if type >= 192, type <= 223 {
            self = .rtcp(ssrc: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 4, as: UInt32.self)))
            return
        }
        guard bytes.count >= 12 else { return nil }
        self = .rtp(
            ssrc: UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt32.self)),
            sequence: UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
    }

    var ssrc: UInt32 {
        switch self {
        case .rtp(let ssrc, _), .rtcp(let ssrc): ssrc
        }
    }

    var isRTCP: Bool {
        if case .rtcp = self { return true }
        return false
    }
}
