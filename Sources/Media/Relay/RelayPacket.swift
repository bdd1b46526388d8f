/// What the relay needs to know of a datagram before relaying it: RTP or RTCP
/// (RFC 5761 4 tells them apart on a muxed port), and the fields latching checks.
enum RelayPacket: Equatable {
    /// RTP (RFC 3550 5.1): version 2, at least the fixed 12-byte header.
    case rtp(ssrc: UInt32, sequence: UInt16)
    /// RTCP (RFC 3550 6.4): version 2, packet type 192-223, at least 8 bytes.
    case rtcp(ssrc: UInt32)

    init?(_ bytes: [UInt8]) {
        guard bytes.count >= 8, bytes[0] >> 6 == 2 else { return nil }
        let type = bytes[1]
        if type >= 192, type <= 223 {
            self = .rtcp(ssrc: Self.word(bytes, at: 4))
            return
        }
        guard bytes.count >= 12 else { return nil }
        let sequence = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
        self = .rtp(ssrc: Self.word(bytes, at: 8), sequence: sequence)
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

    private static func word(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16 | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
