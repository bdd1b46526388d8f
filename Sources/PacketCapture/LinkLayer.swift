/// Strips a packet's link-layer header, leaving the IP packet it carries.
enum LinkLayer {
    /// The network protocol a link-layer header announces.
    enum Network {
        case ipv4
        case ipv6
    }

    static let etherTypeIPv4: UInt16 = 0x0800
    static let etherTypeIPv6: UInt16 = 0x86DD
    /// 802.1Q, 802.1ad (QinQ) and the older 0x9100 double-tag type.
    static let vlanEtherTypes: Set<UInt16> = [0x8100, 0x88A8, 0x9100]

    /// The IP packet inside `packet`, or nil when it carries something else (ARP, LLC, …).
    static func network(
        of data: ArraySlice<UInt8>,
        linkType: LinkType
    ) throws(CaptureError) -> (Network, ArraySlice<UInt8>)? {
        switch linkType {
        case .null:
            try require(data, 4, "BSD loopback header")
            // Host byte order of the capturing machine: a family fits in the low 16 bits.
            let little = data.u32(0, bigEndian: false)
            let family = little & 0xFFFF_0000 == 0 ? little : data.u32(0, bigEndian: true)
            return addressFamily(family).map { ($0, data.from(4)) }
        case .loop:
            try require(data, 4, "OpenBSD loopback header")
            return addressFamily(data.u32(0, bigEndian: true)).map { ($0, data.from(4)) }
        case .ethernet:
            try require(data, 14, "Ethernet header")
            var offset = 12
            var etherType = data.u16(offset)
            while vlanEtherTypes.contains(etherType) {
                try require(data, offset + 6, "802.1Q VLAN tag")
                offset += 4
                etherType = data.u16(offset)
            }
            return ethernetNetwork(etherType).map { ($0, data.from(offset + 2)) }
        case .raw:
            try require(data, 1, "raw IP header")
            switch data.u8(0) >> 4 {
            case 4: return (.ipv4, data)
            case 6: return (.ipv6, data)
            default: throw .malformedPacket("raw IP packet of version \(data.u8(0) >> 4)")
            }
        case .ipv4:
            return (.ipv4, data)
        case .ipv6:
            return (.ipv6, data)
        case .linuxSLL:
            try require(data, 16, "Linux cooked (SLL) header")
            return ethernetNetwork(data.u16(14)).map { ($0, data.from(16)) }
        case .linuxSLL2:
            try require(data, 20, "Linux cooked (SLL2) header")
            return ethernetNetwork(data.u16(0)).map { ($0, data.from(20)) }
        default:
            throw .unsupportedLinkType(linkType)
        }
    }

    private static func ethernetNetwork(_ etherType: UInt16) -> Network? {
        switch etherType {
        case etherTypeIPv4: .ipv4
        case etherTypeIPv6: .ipv6
        default: nil
        }
    }

    /// AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24 (Net/OpenBSD), 28 (FreeBSD), 30 (Darwin).
    private static func addressFamily(_ family: UInt32) -> Network? {
        switch family {
        case 2: .ipv4
        case 10, 24, 28, 30: .ipv6
        default: nil
        }
    }

    static func require(_ data: ArraySlice<UInt8>, _ length: Int, _ what: String) throws(CaptureError) {
        guard data.count >= length else {
            throw .malformedPacket("\(what) needs \(length) bytes, packet has \(data.count)")
        }
    }
}
