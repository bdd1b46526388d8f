import Testing
@testable import PacketCapture

/// Classic pcap, draft-ietf-opsawg-pcap sections 4 and 5.
@Suite("Classic pcap reader")
struct PcapReaderTests {
    static let frame = Build.ethernet(
        etherType: 0x0800,
        Build.ipv4(Build.alice, Build.bob, protocol: 17, Build.udp(from: 5060, to: 5080, Build.options)))

    @Test(
        "pcap section 4: both byte orders, microsecond and nanosecond magic",
        arguments: [(false, false), (true, false), (false, true), (true, true)])
    func byteOrderAndResolution(bigEndian: Bool, nanosecond: Bool) throws {
        let fraction: UInt32 = nanosecond ? 123_456_789 : 123_456
        let bytes = Build.pcap(
            linkType: .ethernet, bigEndian: bigEndian, nanosecond: nanosecond,
            [Build.Record(seconds: 1_700_000_000, fraction: fraction, data: Self.frame),
             Build.Record(seconds: 1_700_000_001, fraction: 0, data: Self.frame, originalLength: 1500)])
        let capture = try CaptureFile(bytes: bytes)
        #expect(capture.format == .pcap(bigEndian: bigEndian, nanosecond: nanosecond))
        #expect(capture.packets.count == 2)
        #expect(capture.packets[0].linkType == .ethernet)
        #expect(capture.packets[0].data == Self.frame)
        #expect(capture.packets[0].timestamp
            == CaptureTimestamp(seconds: 1_700_000_000, nanoseconds: nanosecond ? 123_456_789 : 123_456_000))
        #expect(capture.packets[0].isTruncated == false)
        #expect(capture.packets[1].originalLength == 1500)
        #expect(capture.packets[1].isTruncated)
    }

    @Test("pcap section 4: the link-type field's upper bits (FCS length) do not change the type")
    func linkTypeFCSBits() throws {
        var bytes = Build.pcap(linkType: .ethernet, [])
        bytes[23] = 0x10  // little-endian: the top byte of LinkType carries FCS-present bits
        #expect(try CaptureFile(bytes: bytes).packets.isEmpty)
        let withPacket = Build.pcap(linkType: LinkType(rawValue: 0x1000_0001), [Build.Record(seconds: 1, fraction: 0, data: Self.frame)])
        #expect(try CaptureFile(bytes: withPacket).packets[0].linkType == .ethernet)
    }

    @Test("a capture with a header and no packets is empty, not an error")
    func emptyCapture() throws {
        #expect(try CaptureFile(bytes: Build.pcap(linkType: .raw, [])).packets == [])
    }

    @Test("CaptureTimestamp prints nine fraction digits and orders by time")
    func timestamps() {
        let a = CaptureTimestamp(seconds: 5, nanoseconds: 1_000)
        let b = CaptureTimestamp(seconds: 5, nanoseconds: 2_000_000_000)
        #expect(a.description == "5.000001000")
        #expect(b == CaptureTimestamp(seconds: 7, nanoseconds: 0))
        #expect(a < b)
    }
}
