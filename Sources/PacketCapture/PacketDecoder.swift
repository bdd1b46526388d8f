/// Decodes captured packets down to UDP datagrams and TCP segments.
///
/// Holds IP fragments until their datagram is complete, so it is fed every
/// packet of a capture in order. Packets that are not IP, or not UDP/TCP
/// (ARP, ICMP, …), decode to nil; packets whose headers are cut short or
/// inconsistent throw.
public struct PacketDecoder: Sendable {
    private var fragments = IPFragmentReassembler()

    public init() {}

    public mutating func decode(_ packet: CapturedPacket) throws(CaptureError) -> DecodedPacket? {
        guard let (network, bytes) = try LinkLayer.network(of: packet.data[...], linkType: packet.linkType) else {
            return nil
        }
        var ip: IPPacket
        switch network {
        case .ipv4:
            ip = try IPPacket.ipv4(bytes)
            guard let whole = try fragments.add(ip, isIPv6: false) else {
                return nil
            }
            ip = whole
        case .ipv6:
            guard let parsed = try IPPacket.ipv6(bytes) else {
                return nil
            }
            if parsed.fragment == nil {
                ip = parsed
            } else {
                guard let whole = try fragments.add(parsed, isIPv6: true),
                    let walked = try IPPacket.ipv6Reassembled(whole), walked.fragment == nil
                else {
                    return nil
                }
                ip = walked
            }
        }
        switch ip.nextProtocol {
        case IPPacket.protocolUDP:
            return .udp(try Self.udp(ip, timestamp: packet.timestamp))
        case IPPacket.protocolTCP:
            return .tcp(try Self.tcp(ip, timestamp: packet.timestamp))
        default:
            return nil
        }
    }

    /// UDP (RFC 768): the Length field bounds the payload.
    static func udp(_ ip: IPPacket, timestamp: CaptureTimestamp) throws(CaptureError) -> Datagram {
        let data = ip.payload
        try LinkLayer.require(data, 8, "UDP header")
        let length = Int(data.u16(4))
        guard length >= 8 else {
            throw .malformedPacket("UDP length \(length)")
        }
        guard length <= data.count else {
            throw .malformedPacket("UDP length \(length) exceeds the \(data.count) bytes captured")
        }
        return Datagram(
            source: Endpoint(ip: ip.source, port: data.u16(0)),
            destination: Endpoint(ip: ip.destination, port: data.u16(2)),
            payload: Array(data.sub(8, length - 8)),
            timestamp: timestamp
        )
    }

    /// TCP (RFC 9293): Data Offset skips the options.
    static func tcp(_ ip: IPPacket, timestamp: CaptureTimestamp) throws(CaptureError) -> Segment {
        let data = ip.payload
        try LinkLayer.require(data, 20, "TCP header")
        let headerLength = Int(data.u8(12) >> 4) * 4
        guard headerLength >= 20 else {
            throw .malformedPacket("TCP data offset \(headerLength)")
        }
        try LinkLayer.require(data, headerLength, "TCP header with options")
        return Segment(
            source: Endpoint(ip: ip.source, port: data.u16(0)),
            destination: Endpoint(ip: ip.destination, port: data.u16(2)),
            sequenceNumber: data.u32(4),
            acknowledgmentNumber: data.u32(8),
            flags: TCPFlags(rawValue: data.u8(13) & 0x3F),
            payload: Array(data.from(headerLength)),
            timestamp: timestamp
        )
    }
}
