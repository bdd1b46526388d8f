import Testing
@testable import PacketCapture

@Suite("Truncated and corrupt captures")
struct CaptureErrorTests {
    static let frame = Build.ethernet(
        etherType: 0x0800,
        Build.ipv4(Build.alice, Build.bob, protocol: 17, Build.udp(from: 5060, to: 5080, Build.options)))
    static let pcap = Build.pcap(linkType: .ethernet, [
        Build.Record(seconds: 1, fraction: 0, data: frame), Build.Record(seconds: 2, fraction: 0, data: frame),
    ])
    static let pcapng = Build.sectionHeader(bigEndian: false)
        + Build.interfaceDescription(linkType: .ethernet, bigEndian: false)
        + Build.enhancedPacket(interface: 0, ticks: 1, frame, bigEndian: false)

    @Test("files shorter than a magic number or a global header are truncated at offset 0")
    func tinyFiles() {
        #expect(throws: CaptureError.truncated(offset: 0, needed: 4, available: 0)) { try CaptureFile(bytes: []) }
        #expect(throws: CaptureError.truncated(offset: 0, needed: 24, available: 10)) {
            try CaptureFile(bytes: Array(Self.pcap.prefix(10)))
        }
    }

    @Test("an unknown magic number is bad magic")
    func badMagic() {
        #expect(throws: CaptureError.badMagic(0x4749_4638)) { try CaptureFile(bytes: Build.ascii("GIF89a-not-a-capture-file")) }
    }

    @Test("pcap: a cut record header and cut record data name the record's offset")
    func truncatedRecords() {
        let second = 24 + 16 + Self.frame.count
        #expect(throws: CaptureError.truncated(offset: second, needed: 16, available: 7)) {
            try CaptureFile(bytes: Array(Self.pcap.prefix(second + 7)))
        }
        #expect(throws: CaptureError.truncated(offset: second, needed: 16 + Self.frame.count, available: 16 + 5)) {
            try CaptureFile(bytes: Array(Self.pcap.prefix(second + 16 + 5)))
        }
    }

    @Test("pcap: an impossible record length, fraction or version is corrupt")
    func corruptRecords() {
        var huge = Self.pcap
        huge.replaceSubrange(32..<36, with: Build.u32(0x7FFF_FFFF, bigEndian: false))
        #expect(throws: CaptureError.corruptRecord(offset: 24, reason: "captured length 2147483647 is implausible")) {
            try CaptureFile(bytes: huge)
        }
        var fraction = Self.pcap
        fraction.replaceSubrange(28..<32, with: Build.u32(1_000_000, bigEndian: false))
        #expect(throws: CaptureError.corruptRecord(offset: 24, reason: "timestamp fraction 1000000 out of range")) {
            try CaptureFile(bytes: fraction)
        }
        var version = Self.pcap
        version[4] = 9
        #expect(throws: CaptureError.unsupportedVersion(major: 9, minor: 4)) { try CaptureFile(bytes: version) }
    }

    @Test("pcapng: a cut block, a bad block length and a mismatched trailer are reported")
    func pcapngErrors() {
        let epbOffset = Self.pcapng.count - Build.enhancedPacket(interface: 0, ticks: 1, Self.frame, bigEndian: false).count
        #expect(throws: CaptureError.truncated(offset: epbOffset, needed: Self.pcapng.count - epbOffset, available: 20)) {
            try CaptureFile(bytes: Array(Self.pcapng.prefix(epbOffset + 20)))
        }
        var odd = Self.pcapng
        odd.replaceSubrange((epbOffset + 4)..<(epbOffset + 8), with: Build.u32(13, bigEndian: false))
        #expect(throws: CaptureError.corruptRecord(offset: epbOffset, reason: "block length 13")) { try CaptureFile(bytes: odd) }
        var trailer = Self.pcapng
        trailer[trailer.count - 4] ^= 0x04
        #expect(throws: CaptureError.self) { try CaptureFile(bytes: trailer) }
        var byteOrder = Self.pcapng
        byteOrder[8] = 0
        #expect(throws: CaptureError.corruptRecord(offset: 0, reason: "byte-order magic 0x3c2b1a")) {
            try CaptureFile(bytes: byteOrder)
        }
    }

    @Test("errors read as sentences an operator can act on")
    func descriptions() {
        #expect(CaptureError.truncated(offset: 40, needed: 16, available: 7).description
            == "capture truncated at offset 40: needs 16 bytes, 7 left")
        #expect(CaptureError.badMagic(0xDEAD_BEEF).description == "not a pcap or pcapng file (magic 0xdeadbeef)")
        #expect(CaptureError.unsupportedLinkType(LinkType(rawValue: 147)).description == "unsupported link type linktype 147 (147)")
        #expect(CaptureError.unsupportedLinkType(.linuxSLL2).description == "unsupported link type LINUX_SLL2 (276)")
    }

    @Test("a packet cut by the snap length is skipped with a malformed-packet error, the rest still decode")
    func snapLengthCut() throws {
        let cut = Array(Self.frame.prefix(14 + 20 + 8 + 10))
        let bytes = Build.pcap(linkType: .ethernet, [
            Build.Record(seconds: 1, fraction: 0, data: cut, originalLength: UInt32(Self.frame.count)),
            Build.Record(seconds: 2, fraction: 0, data: Self.frame),
        ])
        var skipped: [(Int, CaptureError)] = []
        let payloads = try CaptureFile(bytes: bytes).transportPayloads { skipped.append(($0, $1)) }
        #expect(payloads.count == 1)
        #expect(skipped.count == 1)
        #expect(skipped.first?.0 == 0)
        #expect(skipped.first?.1 == .malformedPacket("UDP length \(8 + Build.options.count) exceeds the 18 bytes captured"))
    }

    /// Every prefix and many single-byte corruptions of valid files must throw or decode, never trap.
    @Test("no prefix or byte flip of a capture crashes the reader or the decoder")
    func neverCrashes() throws {
        let tcp = Build.ipv4(Build.alice, Build.bob, protocol: 6, Build.tcp(from: 1, to: 2, seq: 1, Build.options))
        let fragment = Build.ipv4(Build.alice, Build.bob, protocol: 17, Array(Build.options.prefix(16)), moreFragments: true)
        let v6 = Build.ipv6(Build.alice6, Build.bob6, nextHeader: 0,
            Build.ipv6Extension(nextHeader: 44) + Build.ipv6Fragment(nextHeader: 17, offset: 0, more: true, identification: 1)
                + Build.udp(from: 1, to: 2, [1, 2, 3, 4, 5, 6, 7, 8]))
        let files = [
            Self.pcap, Self.pcapng,
            Build.pcap(linkType: .raw, bigEndian: true, nanosecond: true, [
                Build.Record(seconds: 1, fraction: 5, data: tcp), Build.Record(seconds: 1, fraction: 6, data: fragment),
                Build.Record(seconds: 1, fraction: 7, data: v6),
            ]),
            Build.sectionHeader(bigEndian: true)
                + Build.interfaceDescription(linkType: .null, bigEndian: true, resolution: 0x80 | 20, offsetSeconds: -5)
                + Build.enhancedPacket(interface: 0, ticks: 1 << 40, Build.u32(2) + tcp, bigEndian: true)
                + Build.simplePacket(Build.u32(2) + fragment, bigEndian: true),
            Build.pcap(linkType: .linuxSLL2, [Build.Record(seconds: 1, fraction: 0, data: Build.linuxSLL2(protocol: 0x86DD, v6))]),
        ]
        var decoded = 0
        for file in files {
            var variants = (0...file.count).map { Array(file.prefix($0)) }
            for index in file.indices {
                for mask: UInt8 in [0x01, 0x80, 0xFF] {
                    var flipped = file
                    flipped[index] ^= mask
                    variants.append(flipped)
                }
            }
            for variant in variants {
                guard let capture = try? CaptureFile(bytes: variant) else { continue }
                decoded += capture.transportPayloads().count
            }
        }
        #expect(decoded > 0)
    }
}
