import Testing
@testable import PacketCapture

@Suite("Link layers, IP and UDP/TCP decoding")
struct PacketDecoderTests {
    static let ipv4UDP = Build.ipv4(Build.alice, Build.bob, protocol: 17, Build.udp(from: 5060, to: 5080, Build.options))
    static let ipv6UDP = Build.ipv6(Build.alice6, Build.bob6, nextHeader: 17, Build.udp(from: 5060, to: 5080, Build.options))

    static func decode(_ data: [UInt8], _ linkType: LinkType) throws(CaptureError) -> DecodedPacket? {
        var decoder = PacketDecoder()
        return try decoder.decode(CapturedPacket(timestamp: .zero, linkType: linkType, data: data))
    }

    static func datagram(_ data: [UInt8], _ linkType: LinkType) throws -> Datagram {
        guard case .udp(let datagram) = try decode(data, linkType) else {
            throw CaptureError.malformedPacket("expected a UDP datagram")
        }
        return datagram
    }

    static let linkLayers: [(LinkType, [UInt8], [UInt8])] = [
        (.null, Build.u32(2, bigEndian: false) + ipv4UDP, Build.u32(30, bigEndian: false) + ipv6UDP),
        (.null, Build.u32(2) + ipv4UDP, Build.u32(24) + ipv6UDP),  // written by a big-endian host
        (.ethernet, Build.ethernet(etherType: 0x0800, ipv4UDP), Build.ethernet(etherType: 0x86DD, ipv6UDP)),
        (.ethernet, Build.ethernet(etherType: 0x0800, vlans: [100], ipv4UDP),
         Build.ethernet(etherType: 0x86DD, vlans: [100, 200], ipv6UDP)),
        (.raw, ipv4UDP, ipv6UDP),
        (.loop, Build.u32(2) + ipv4UDP, Build.u32(24) + ipv6UDP),
        (.linuxSLL, Build.linuxSLL(protocol: 0x0800, ipv4UDP), Build.linuxSLL(protocol: 0x86DD, ipv6UDP)),
        (.linuxSLL2, Build.linuxSLL2(protocol: 0x0800, ipv4UDP), Build.linuxSLL2(protocol: 0x86DD, ipv6UDP)),
        (.ipv4, ipv4UDP, Build.ipv4(Build.alice, Build.bob, protocol: 17, Build.udp(from: 5060, to: 5080, Build.options))),
    ]

    @Test("link types 0, 1 (with 802.1Q tags), 101, 108, 113 and 276 carry IPv4 and IPv6", arguments: 0..<9)
    func linkLayers(index: Int) throws {
        let (linkType, v4, v6) = Self.linkLayers[index]
        let a = try Self.datagram(v4, linkType)
        #expect(a.source.description == "192.0.2.10:5060")
        #expect(a.destination.description == "198.51.100.20:5080")
        #expect(a.payload == Build.options)
        let b = try Self.datagram(v6, linkType)
        #expect(b.payload == Build.options)
        if linkType != .ipv4 {
            #expect(b.source.description == "[2001:db8::10]:5060")
            #expect(b.destination.address == "2001:db8:0:1::20")
        }
    }

    @Test("non-IP frames (ARP) decode to nothing; unknown link types throw")
    func nonIP() throws {
        #expect(try Self.decode(Build.ethernet(etherType: 0x0806, [UInt8](repeating: 0, count: 28)), .ethernet) == nil)
        #expect(throws: CaptureError.unsupportedLinkType(LinkType(rawValue: 147))) {
            try Self.decode(Self.ipv4UDP, LinkType(rawValue: 147))
        }
    }

    @Test("RFC 791 3.1: IPv4 options are skipped and Ethernet padding is trimmed by Total Length")
    func ipv4OptionsAndPadding() throws {
        let packet = Build.ipv4(
            Build.alice, Build.bob, protocol: 17, Build.udp(from: 1, to: 2, [0x41, 0x42]),
            options: [0x94, 0x04, 0x00, 0x00])  // Router Alert
        let frame = Build.ethernet(etherType: 0x0800, packet) + [UInt8](repeating: 0, count: 18)
        #expect(try Self.datagram(frame, .ethernet).payload == [0x41, 0x42])
    }

    @Test("RFC 8200 4: IPv6 Hop-by-Hop, Routing and Destination Options headers are walked")
    func ipv6ExtensionHeaders() throws {
        let payload = Build.ipv6Extension(nextHeader: 43)
            + Build.ipv6Extension(nextHeader: 60, units: 2)
            + Build.ipv6Extension(nextHeader: 17)
            + Build.udp(from: 5060, to: 5060, Build.options)
        let packet = Build.ipv6(Build.alice6, Build.bob6, nextHeader: 0, payload)
        #expect(try Self.datagram(packet, .raw).payload == Build.options)
        let noNext = Build.ipv6(Build.alice6, Build.bob6, nextHeader: 59, [])
        #expect(try Self.decode(noNext, .raw) == nil)
    }

    @Test("RFC 791 3.2: IPv4 fragments of a large SIP datagram are reassembled, in any order")
    func ipv4Fragments() throws {
        let body = Build.ascii("INVITE sip:bob@198.51.100.20 SIP/2.0\r\n")
            + [UInt8](repeating: 0x61, count: 3000) + Build.ascii("\r\n")
        let udp = Build.udp(from: 5060, to: 5060, body)
        let pieces = stride(from: 0, to: udp.count, by: 1480).map { Array(udp[$0..<min($0 + 1480, udp.count)]) }
        #expect(pieces.count == 3)
        let packets = pieces.enumerated().map { index, piece in
            Build.ipv4(
                Build.alice, Build.bob, protocol: 17, piece, identification: 0xBEEF,
                fragmentOffset: index * 1480, moreFragments: index < pieces.count - 1)
        }
        for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0]] {
            var decoder = PacketDecoder()
            var results: [DecodedPacket?] = []
            for index in order {
                results.append(try decoder.decode(CapturedPacket(timestamp: .zero, linkType: .raw, data: packets[index])))
            }
            #expect(results.dropLast().allSatisfy { $0 == nil })
            guard case .udp(let datagram) = results.last! else {
                Issue.record("no datagram after the last fragment for order \(order)")
                continue
            }
            #expect(datagram.payload == body)
        }
    }

    @Test("RFC 791 3.2: a duplicated fragment and a fragment of another datagram do not corrupt reassembly")
    func ipv4FragmentDuplicates() throws {
        let udp = Build.udp(from: 5060, to: 5060, [UInt8](repeating: 0x62, count: 24))
        let first = Build.ipv4(Build.alice, Build.bob, protocol: 17, Array(udp[0..<16]), identification: 7, moreFragments: true)
        let other = Build.ipv4(Build.alice, Build.bob, protocol: 17, [UInt8](repeating: 0xEE, count: 16), identification: 8, fragmentOffset: 16)
        let last = Build.ipv4(Build.alice, Build.bob, protocol: 17, Array(udp[16...]), identification: 7, fragmentOffset: 16)
        var decoder = PacketDecoder()
        var results: [DecodedPacket?] = []
        for data in [first, first, other, last] {
            results.append(try decoder.decode(CapturedPacket(timestamp: .zero, linkType: .raw, data: data)))
        }
        #expect(results[0..<3].allSatisfy { $0 == nil })
        guard case .udp(let datagram) = results[3] else {
            Issue.record("not reassembled")
            return
        }
        #expect(datagram.payload == [UInt8](repeating: 0x62, count: 24))
    }

    @Test("RFC 8200 4.5: IPv6 Fragment headers are reassembled")
    func ipv6Fragments() throws {
        let udp = Build.udp(from: 5060, to: 5062, Build.options + [UInt8](repeating: 0x20, count: 40))
        let split = 48
        let first = Build.ipv6(
            Build.alice6, Build.bob6, nextHeader: 44,
            Build.ipv6Fragment(nextHeader: 17, offset: 0, more: true, identification: 99) + Array(udp[..<split]))
        let second = Build.ipv6(
            Build.alice6, Build.bob6, nextHeader: 60,
            Build.ipv6Extension(nextHeader: 44)
                + Build.ipv6Fragment(nextHeader: 17, offset: split, more: false, identification: 99) + Array(udp[split...]))
        var decoder = PacketDecoder()
        #expect(try decoder.decode(CapturedPacket(timestamp: .zero, linkType: .raw, data: second)) == nil)
        guard case .udp(let datagram) = try decoder.decode(CapturedPacket(timestamp: .zero, linkType: .raw, data: first)) else {
            Issue.record("not reassembled")
            return
        }
        #expect(datagram.payload == Build.options + [UInt8](repeating: 0x20, count: 40))
        #expect(datagram.destination.description == "[2001:db8:0:1::20]:5062")
    }

    @Test("RFC 9293 3.1: TCP header fields, options skipped by Data Offset")
    func tcpSegment() throws {
        let packet = Build.ipv4(
            Build.alice, Build.bob, protocol: 6,
            Build.tcp(from: 40000, to: 5060, seq: 0xFFFF_FFF0, ack: 77, flags: [.ack, .psh],
                      options: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2], Build.options))
        guard case .tcp(let segment) = try Self.decode(packet, .raw) else {
            Issue.record("not a segment")
            return
        }
        #expect(segment.sequenceNumber == 0xFFFF_FFF0)
        #expect(segment.acknowledgmentNumber == 77)
        #expect(segment.flags == [.ack, .psh])
        #expect(segment.payload == Build.options)
        #expect(segment.flow.description == "192.0.2.10:40000 -> 198.51.100.20:5060")
    }

    @Test("RFC 5952 4: IPv6 addresses print in canonical form")
    func canonicalIPv6() {
        #expect(IPAddress(v6: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]).description == "2001:db8::1")
        #expect(IPAddress(v6: [0x2001, 0xdb8, 0, 1, 1, 1, 1, 1]).description == "2001:db8:0:1:1:1:1:1")
        #expect(IPAddress(v6: [0x2001, 0, 0, 1, 0, 0, 0, 1]).description == "2001:0:0:1::1")
        #expect(IPAddress(v6: [0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]).description == "2001:db8::1:0:0:1")
        #expect(IPAddress(v6: [0, 0, 0, 0, 0, 0, 0, 1]).description == "::1")
        #expect(IPAddress(v6: [0, 0, 0, 0, 0, 0, 0, 0]).description == "::")
        #expect(IPAddress(v6: [0xFE80, 0, 0, 0, 0xABCD, 0, 0, 0]).description == "fe80::abcd:0:0:0")
        #expect(IPAddress(v6: [0, 0, 0, 0, 0, 0xFFFF, 0xC000, 0x020A]).description == "::ffff:192.0.2.10")
        #expect(IPAddress(v4: 127, 0, 0, 1).description == "127.0.0.1")
    }
}
