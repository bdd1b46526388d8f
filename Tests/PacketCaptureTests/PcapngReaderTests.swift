import Testing
@testable import PacketCapture

/// pcapng, draft-ietf-opsawg-pcapng sections 4.1 to 4.4.
@Suite("pcapng reader")
struct PcapngReaderTests {
    static let raw = Build.ipv4(Build.alice, Build.bob, protocol: 17, Build.udp(from: 5060, to: 5080, Build.options))
    static let frame = Build.ethernet(etherType: 0x0800, raw)

    @Test("pcapng 4.1-4.3: SHB in both byte orders, IDB link type, EPB with default microsecond resolution",
          arguments: [false, true])
    func enhancedPackets(bigEndian: Bool) throws {
        let bytes = Build.sectionHeader(bigEndian: bigEndian)
            + Build.interfaceDescription(linkType: .ethernet, bigEndian: bigEndian)
            + Build.interfaceDescription(linkType: .raw, bigEndian: bigEndian)
            + Build.enhancedPacket(interface: 0, ticks: 1_700_000_000_123_456, Self.frame, bigEndian: bigEndian)
            + Build.enhancedPacket(interface: 1, ticks: 1_700_000_001_000_000, Self.raw, bigEndian: bigEndian)
        let capture = try CaptureFile(bytes: bytes)
        #expect(capture.format == .pcapng)
        #expect(capture.packets.map(\.linkType) == [.ethernet, .raw])
        #expect(capture.packets[0].data == Self.frame)
        #expect(capture.packets[0].timestamp == CaptureTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_000))
        #expect(capture.packets[1].timestamp == CaptureTimestamp(seconds: 1_700_000_001, nanoseconds: 0))
        let payloads = capture.transportPayloads()
        #expect(payloads.count == 2)
    }

    @Test("pcapng 4.2: if_tsresol in powers of ten and of two, and if_tsoffset", arguments: [false, true])
    func timestampResolution(bigEndian: Bool) throws {
        let bytes = Build.sectionHeader(bigEndian: bigEndian)
            + Build.interfaceDescription(linkType: .raw, bigEndian: bigEndian, resolution: 9)
            + Build.interfaceDescription(linkType: .raw, bigEndian: bigEndian, resolution: 0x80 | 10)
            + Build.interfaceDescription(linkType: .raw, bigEndian: bigEndian, resolution: 3, offsetSeconds: 1_000)
            + Build.enhancedPacket(interface: 0, ticks: 1_700_000_000_123_456_789, Self.raw, bigEndian: bigEndian)
            + Build.enhancedPacket(interface: 1, ticks: 5 << 10 | 512, Self.raw, bigEndian: bigEndian)
            + Build.enhancedPacket(interface: 2, ticks: 42_250, Self.raw, bigEndian: bigEndian)
        let packets = try CaptureFile(bytes: bytes).packets
        #expect(packets[0].timestamp == CaptureTimestamp(seconds: 1_700_000_000, nanoseconds: 123_456_789))
        #expect(packets[1].timestamp == CaptureTimestamp(seconds: 5, nanoseconds: 500_000_000))
        #expect(packets[2].timestamp == CaptureTimestamp(seconds: 1_042, nanoseconds: 250_000_000))
    }

    @Test("pcapng 4.2: extreme if_tsresol and if_tsoffset values saturate instead of trapping")
    func extremeTimestamps() throws {
        let bytes = Build.sectionHeader(bigEndian: false)
            + Build.interfaceDescription(linkType: .raw, bigEndian: false, resolution: 0, offsetSeconds: .max)
            + Build.interfaceDescription(linkType: .raw, bigEndian: false, resolution: 0x80 | 63)
            + Build.enhancedPacket(interface: 0, ticks: .max, Self.raw, bigEndian: false)
            + Build.enhancedPacket(interface: 1, ticks: .max, Self.raw, bigEndian: false)
        let packets = try CaptureFile(bytes: bytes).packets
        #expect(packets[0].timestamp.nanoseconds == 0)
        #expect(packets[1].timestamp.seconds == 1)
        #expect(packets[1].timestamp.nanoseconds == 999_999_999)
        let invalid = Build.sectionHeader(bigEndian: false)
            + Build.interfaceDescription(linkType: .raw, bigEndian: false, resolution: 20)
        #expect(throws: CaptureError.self) { try CaptureFile(bytes: invalid) }
    }

    @Test("pcapng 4.4: Simple Packet Blocks use interface 0; unknown blocks are skipped", arguments: [false, true])
    func simplePacketsAndUnknownBlocks(bigEndian: Bool) throws {
        let bytes = Build.sectionHeader(bigEndian: bigEndian)
            + Build.pcapngBlock(0x0000_0BAD, [1, 2, 3, 4, 5], bigEndian: bigEndian)
            + Build.interfaceDescription(linkType: .ethernet, bigEndian: bigEndian)
            + Build.pcapngBlock(4, [0, 0, 0, 0], bigEndian: bigEndian)  // Name Resolution Block
            + Build.simplePacket(Self.frame, bigEndian: bigEndian)
            + Build.pcapngBlock(5, [UInt8](repeating: 0, count: 12), bigEndian: bigEndian)  // Interface Statistics
        let packets = try CaptureFile(bytes: bytes).packets
        #expect(packets.count == 1)
        #expect(packets[0].data == Self.frame)
        #expect(packets[0].linkType == .ethernet)
        #expect(packets[0].timestamp == .zero)
    }

    @Test("pcapng 4.1: a second section may switch byte order and restarts interface numbering")
    func twoSections() throws {
        let bytes = Build.sectionHeader(bigEndian: false)
            + Build.interfaceDescription(linkType: .ethernet, bigEndian: false)
            + Build.enhancedPacket(interface: 0, ticks: 1, Self.frame, bigEndian: false)
            + Build.sectionHeader(bigEndian: true)
            + Build.interfaceDescription(linkType: .raw, bigEndian: true)
            + Build.enhancedPacket(interface: 0, ticks: 2, Self.raw, bigEndian: true)
        let packets = try CaptureFile(bytes: bytes).packets
        #expect(packets.map(\.linkType) == [.ethernet, .raw])
        #expect(packets.map(\.data) == [Self.frame, Self.raw])
    }

    @Test("pcapng 4.3: a packet block naming an undeclared interface is an error")
    func unknownInterface() {
        let bytes = Build.sectionHeader(bigEndian: false)
            + Build.interfaceDescription(linkType: .ethernet, bigEndian: false)
            + Build.enhancedPacket(interface: 3, ticks: 1, Self.frame, bigEndian: false)
        let offset = Build.sectionHeader(bigEndian: false).count
            + Build.interfaceDescription(linkType: .ethernet, bigEndian: false).count
        #expect(throws: CaptureError.unknownInterface(offset: offset, interfaceID: 3)) {
            try CaptureFile(bytes: bytes)
        }
    }
}
