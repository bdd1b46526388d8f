/// The parts of an IPv4 or IPv6 header that transport decoding needs.
struct IPPacket {
    /// Where a fragment sits in its original datagram.
    struct Fragment: Hashable {
        var identification: UInt32
        /// Byte offset of this fragment's data in the original payload.
        var offset: Int
        var moreFragments: Bool
    }

    var source: IPAddress
    var destination: IPAddress
    /// The transport protocol (or, for an IPv6 fragment, the first header of the fragmentable part).
    var nextProtocol: UInt8
    var payload: ArraySlice<UInt8>
    var fragment: Fragment?

    static let protocolTCP: UInt8 = 6
    static let protocolUDP: UInt8 = 17

    /// IPv4 (RFC 791): options skipped by IHL, link padding trimmed by Total Length.
    static func ipv4(_ data: ArraySlice<UInt8>) throws(CaptureError) -> IPPacket {
        try LinkLayer.require(data, 20, "IPv4 header")
        guard data.u8(0) >> 4 == 4 else {
            throw .malformedPacket("IPv4 header with version \(data.u8(0) >> 4)")
        }
        let headerLength = Int(data.u8(0) & 0x0F) * 4
        guard headerLength >= 20 else {
            throw .malformedPacket("IPv4 header length \(headerLength)")
        }
        try LinkLayer.require(data, headerLength, "IPv4 header with options")
        var totalLength = Int(data.u16(2))
        if totalLength == 0 {
            // Segmentation offload captures leave Total Length zero; take what was captured.
            totalLength = data.count
        }
        guard totalLength >= headerLength else {
            throw .malformedPacket("IPv4 total length \(totalLength) below header length \(headerLength)")
        }
        let end = min(totalLength, data.count)
        let flagsAndOffset = data.u16(6)
        let moreFragments = flagsAndOffset & 0x2000 != 0
        let offset = Int(flagsAndOffset & 0x1FFF) * 8
        return IPPacket(
            source: IPAddress(data.sub(12, 4)),
            destination: IPAddress(data.sub(16, 4)),
            nextProtocol: data.u8(9),
            payload: data.sub(headerLength, end - headerLength),
            fragment: moreFragments || offset != 0
                ? Fragment(identification: UInt32(data.u16(4)), offset: offset, moreFragments: moreFragments)
                : nil
        )
    }

    /// IPv6 (RFC 8200): extension headers walked up to the transport header or a Fragment header.
    static func ipv6(_ data: ArraySlice<UInt8>) throws(CaptureError) -> IPPacket? {
        try LinkLayer.require(data, 40, "IPv6 header")
        guard data.u8(0) >> 4 == 6 else {
            throw .malformedPacket("IPv6 header with version \(data.u8(0) >> 4)")
        }
        let payloadLength = Int(data.u16(4))
        // Payload Length zero means a jumbogram (or offload); take what was captured.
        let end = payloadLength == 0 ? data.count : min(40 + payloadLength, data.count)
        var packet = IPPacket(
            source: IPAddress(data.sub(8, 16)),
            destination: IPAddress(data.sub(24, 16)),
            nextProtocol: data.u8(6),
            payload: data.sub(40, end - 40),
            fragment: nil
        )
        while true {
            switch packet.nextProtocol {
            case 0, 43, 60, 51:  // Hop-by-Hop, Routing, Destination Options, Authentication
                try LinkLayer.require(packet.payload, 2, "IPv6 extension header")
                let length =
                    packet.nextProtocol == 51
                    ? (Int(packet.payload.u8(1)) + 2) * 4 : (Int(packet.payload.u8(1)) + 1) * 8
                try LinkLayer.require(packet.payload, length, "IPv6 extension header")
                packet.nextProtocol = packet.payload.u8(0)
                packet.payload = packet.payload.from(length)
            case 44:  // Fragment
                try LinkLayer.require(packet.payload, 8, "IPv6 fragment header")
                let offsetAndFlags = packet.payload.u16(2)
                let fragment = Fragment(
                    identification: packet.payload.u32(4),
                    offset: Int(offsetAndFlags & 0xFFF8),
                    moreFragments: offsetAndFlags & 1 != 0
                )
                packet.nextProtocol = packet.payload.u8(0)
                packet.payload = packet.payload.from(8)
                // An atomic fragment (offset 0, no more) is a whole packet (RFC 6946).
                if fragment.offset != 0 || fragment.moreFragments {
                    packet.fragment = fragment
                    return packet
                }
            case 59:  // No Next Header
                return nil
            default:
                return packet
            }
        }
    }

    /// Continues an IPv6 header walk over a reassembled fragmentable part.
    static func ipv6Reassembled(_ packet: IPPacket) throws(CaptureError) -> IPPacket? {
        var synthetic: [UInt8] = Array(repeating: 0, count: 40)
        synthetic[0] = 0x60
        let length = packet.payload.count
        guard length <= 0xFFFF else {
            throw .malformedPacket("reassembled IPv6 payload of \(length) bytes")
        }
        synthetic[4] = UInt8(length >> 8)
        synthetic[5] = UInt8(length & 0xFF)
        synthetic[6] = packet.nextProtocol
        synthetic.replaceSubrange(8..<24, with: packet.source.bytes)
        synthetic.replaceSubrange(24..<40, with: packet.destination.bytes)
        synthetic.append(contentsOf: packet.payload)
        return try ipv6(synthetic[...])
    }
}
