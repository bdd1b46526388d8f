@testable import PacketCapture

/// Hand-built capture files and packets, byte by byte, for the reader and decoder tests.
enum Build {
    static func u16(_ value: UInt16, bigEndian: Bool = true) -> [UInt8] {
        let bytes = [UInt8(value >> 8), UInt8(value & 0xFF)]
        return bigEndian ? bytes : bytes.reversed()
    }

    static func u32(_ value: UInt32, bigEndian: Bool = true) -> [UInt8] {
        let bytes = (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
        return bigEndian ? bytes : bytes.reversed()
    }

    static func ascii(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }


    static func udp(from source: UInt16, to destination: UInt16, _ payload: [UInt8]) -> [UInt8] {
        u16(source) + u16(destination) + u16(UInt16(8 + payload.count)) + u16(0) + payload
    }

    static func tcp(
        from source: UInt16, to destination: UInt16, seq: UInt32, ack: UInt32 = 0,
        flags: TCPFlags = [.ack, .psh], options: [UInt8] = [], _ payload: [UInt8] = []
    ) -> [UInt8] {
        let headerLength = 20 + options.count
        precondition(headerLength % 4 == 0)
        return u16(source) + u16(destination) + u32(seq) + u32(ack)
            + [UInt8(headerLength / 4) << 4, flags.rawValue] + u16(65535) + u16(0) + u16(0) + options + payload
    }

    static func ipv4(
        _ source: [UInt8], _ destination: [UInt8], protocol number: UInt8, _ payload: [UInt8],
        identification: UInt16 = 0x1234, fragmentOffset: Int = 0, moreFragments: Bool = false,
        options: [UInt8] = [], totalLength: UInt16? = nil
    ) -> [UInt8] {
        precondition(options.count % 4 == 0)
        let headerLength = 20 + options.count
        let flags: UInt16 = (moreFragments ? 0x2000 : 0) | UInt16(fragmentOffset / 8)
        return [0x40 | UInt8(headerLength / 4), 0]
            + u16(totalLength ?? UInt16(headerLength + payload.count)) + u16(identification) + u16(flags)
            + [64, number] + u16(0) + source + destination + options + payload
    }

    static func ipv6(_ source: [UInt8], _ destination: [UInt8], nextHeader: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0x60, 0, 0, 0] + u16(UInt16(payload.count)) + [nextHeader, 64] + source + destination + payload
    }

    /// An IPv6 extension header in 8-octet units (Hop-by-Hop, Routing, Destination Options).
    static func ipv6Extension(nextHeader: UInt8, units: Int = 1) -> [UInt8] {
        [nextHeader, UInt8(units - 1)] + [UInt8](repeating: 0, count: units * 8 - 2)
    }

    static func ipv6Fragment(nextHeader: UInt8, offset: Int, more: Bool, identification: UInt32) -> [UInt8] {
        [nextHeader, 0] + u16(UInt16(offset) | (more ? 1 : 0)) + u32(identification)
    }


    static func ethernet(etherType: UInt16, vlans: [UInt16] = [], _ payload: [UInt8]) -> [UInt8] {
        var frame = [0x02, 0, 0, 0, 0, 0x01, 0x02, 0, 0, 0, 0, 0x02] as [UInt8]
        for vlan in vlans {
            frame += u16(0x8100) + u16(vlan)
        }
        return frame + u16(etherType) + payload
    }

    static func linuxSLL(protocol etherType: UInt16, _ payload: [UInt8]) -> [UInt8] {
        u16(0) + u16(772) + u16(6) + [UInt8](repeating: 0, count: 8) + u16(etherType) + payload
    }

    static func linuxSLL2(protocol etherType: UInt16, _ payload: [UInt8]) -> [UInt8] {
        u16(etherType) + u16(0) + u32(1) + u16(772) + [0, 6] + [UInt8](repeating: 0, count: 8) + payload
    }


    struct Record {
        var seconds: UInt32
        var fraction: UInt32
        var data: [UInt8]
        var originalLength: UInt32?
    }

    static func pcap(
        linkType: LinkType, bigEndian: Bool = false, nanosecond: Bool = false, _ records: [Record]
    ) -> [UInt8] {
        let magic: UInt32 = nanosecond ? 0xA1B2_3C4D : 0xA1B2_C3D4
        var file = u32(magic, bigEndian: bigEndian) + u16(2, bigEndian: bigEndian) + u16(4, bigEndian: bigEndian)
            + u32(0, bigEndian: bigEndian) + u32(0, bigEndian: bigEndian) + u32(262_144, bigEndian: bigEndian)
            + u32(linkType.rawValue, bigEndian: bigEndian)
        for record in records {
            file += u32(record.seconds, bigEndian: bigEndian) + u32(record.fraction, bigEndian: bigEndian)
                + u32(UInt32(record.data.count), bigEndian: bigEndian)
                + u32(record.originalLength ?? UInt32(record.data.count), bigEndian: bigEndian) + record.data
        }
        return file
    }

    static func pcapngBlock(_ type: UInt32, _ body: [UInt8], bigEndian: Bool) -> [UInt8] {
        let padded = body + [UInt8](repeating: 0, count: (4 - body.count % 4) % 4)
        let length = UInt32(12 + padded.count)
        return u32(type, bigEndian: bigEndian) + u32(length, bigEndian: bigEndian) + padded
            + u32(length, bigEndian: bigEndian)
    }

    static func pcapngOption(_ code: UInt16, _ value: [UInt8], bigEndian: Bool) -> [UInt8] {
        u16(code, bigEndian: bigEndian) + u16(UInt16(value.count), bigEndian: bigEndian) + value
            + [UInt8](repeating: 0, count: (4 - value.count % 4) % 4)
    }

    static func sectionHeader(bigEndian: Bool) -> [UInt8] {
        pcapngBlock(
            0x0A0D_0D0A,
            u32(0x1A2B_3C4D, bigEndian: bigEndian) + u16(1, bigEndian: bigEndian) + u16(0, bigEndian: bigEndian)
                + [UInt8](repeating: 0xFF, count: 8)
                + pcapngOption(3, ascii("switchboard tests"), bigEndian: bigEndian) + u32(0),
            bigEndian: bigEndian
        )
    }

    static func interfaceDescription(
        linkType: LinkType, bigEndian: Bool, resolution: UInt8? = nil, offsetSeconds: Int64? = nil
    ) -> [UInt8] {
        var options: [UInt8] = pcapngOption(2, ascii("lo"), bigEndian: bigEndian)
        if let resolution {
            options += pcapngOption(9, [resolution], bigEndian: bigEndian)
        }
        if let offsetSeconds {
            let value = UInt64(bitPattern: offsetSeconds)
            let high = u32(UInt32(value >> 32), bigEndian: bigEndian)
            let low = u32(UInt32(value & 0xFFFF_FFFF), bigEndian: bigEndian)
            options += pcapngOption(14, bigEndian ? high + low : low + high, bigEndian: bigEndian)
        }
        options += u32(0)
        return pcapngBlock(
            1,
            u16(UInt16(linkType.rawValue), bigEndian: bigEndian) + u16(0, bigEndian: bigEndian)
                + u32(262_144, bigEndian: bigEndian) + options,
            bigEndian: bigEndian
        )
    }

    static func enhancedPacket(interface: UInt32, ticks: UInt64, _ data: [UInt8], bigEndian: Bool) -> [UInt8] {
        pcapngBlock(
            6,
            u32(interface, bigEndian: bigEndian) + u32(UInt32(ticks >> 32), bigEndian: bigEndian)
                + u32(UInt32(ticks & 0xFFFF_FFFF), bigEndian: bigEndian)
                + u32(UInt32(data.count), bigEndian: bigEndian) + u32(UInt32(data.count), bigEndian: bigEndian) + data,
            bigEndian: bigEndian
        )
    }

    static func simplePacket(_ data: [UInt8], bigEndian: Bool) -> [UInt8] {
        pcapngBlock(3, u32(UInt32(data.count), bigEndian: bigEndian) + data, bigEndian: bigEndian)
    }


    static let alice: [UInt8] = [192, 0, 2, 10]
    static let bob: [UInt8] = [198, 51, 100, 20]
    /// 2001:db8::10 and 2001:db8:0:1::20.
    static let alice6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 11) + [0x10]
    static let bob6: [UInt8] = [0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 1] + [UInt8](repeating: 0, count: 7) + [0x20]

    static let options = ascii("OPTIONS sip:bob@198.51.100.20 SIP/2.0\r\nContent-Length: 0\r\n\r\n")
}
