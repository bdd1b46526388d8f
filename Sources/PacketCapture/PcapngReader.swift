/// pcapng files: a sequence of sections, each a Section Header Block followed by
/// Interface Description Blocks and packet blocks.
///
/// Reads Enhanced, Simple and (obsolete) Packet Blocks; every other block type
/// (statistics, name resolution, custom…) is skipped by its length.
struct PcapngReader {
    static let sectionHeaderType: UInt32 = 0x0A0D_0D0A
    static let byteOrderMagic: UInt32 = 0x1A2B_3C4D
    static let interfaceDescriptionType: UInt32 = 1
    static let obsoletePacketType: UInt32 = 2
    static let simplePacketType: UInt32 = 3
    static let enhancedPacketType: UInt32 = 6
    static let maximumBlockLength = 16 * 1024 * 1024

    /// What an Interface Description Block declares.
    struct Interface {
        var linkType: LinkType
        var resolution: TimestampResolution = .decimal(6)
        var offsetSeconds: Int64 = 0
    }

    let bytes: ArraySlice<UInt8>

    init(bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
    }

    func packets() throws(CaptureError) -> [CapturedPacket] {
        var packets: [CapturedPacket] = []
        var interfaces: [Interface] = []
        var bigEndian = false
        var offset = 0
        while offset < bytes.count {
            let remaining = bytes.count - offset
            guard remaining >= 12 else {
                throw .truncated(offset: offset, needed: 12, available: remaining)
            }
            let type = bytes.u32(offset, bigEndian: bigEndian)
            if type == Self.sectionHeaderType {
                // A new section may switch byte order; its interfaces start from zero.
                switch bytes.u32(offset + 8, bigEndian: true) {
                case Self.byteOrderMagic: bigEndian = true
                case Self.byteOrderMagic.byteSwapped: bigEndian = false
                case let other:
                    throw .corruptRecord(offset: offset, reason: "byte-order magic 0x\(String(other, radix: 16))")
                }
                interfaces = []
            } else if offset == 0 {
                throw .badMagic(bytes.u32(0, bigEndian: true))
            }
            let length = Int(bytes.u32(offset + 4, bigEndian: bigEndian))
            guard length >= 12, length % 4 == 0, length <= Self.maximumBlockLength else {
                throw .corruptRecord(offset: offset, reason: "block length \(length)")
            }
            guard remaining >= length else {
                throw .truncated(offset: offset, needed: length, available: remaining)
            }
            guard Int(bytes.u32(offset + length - 4, bigEndian: bigEndian)) == length else {
                throw .corruptRecord(offset: offset, reason: "trailing block length differs from \(length)")
            }
            let block = bytes.sub(offset, length)
            switch type {
            case Self.sectionHeaderType:
                guard length >= 28 else {
                    throw .corruptRecord(offset: offset, reason: "section header block of \(length) bytes")
                }
                let major = block.u16(12, bigEndian: bigEndian)
                let minor = block.u16(14, bigEndian: bigEndian)
                guard major == 1 else {
                    throw .unsupportedVersion(major: major, minor: minor)
                }
            case Self.interfaceDescriptionType:
                guard length >= 20 else {
                    throw .corruptRecord(offset: offset, reason: "interface description block of \(length) bytes")
                }
                var interface = Interface(linkType: LinkType(rawValue: UInt32(block.u16(8, bigEndian: bigEndian))))
                try Self.readOptions(block.sub(16, length - 20), bigEndian: bigEndian, blockOffset: offset) {
                    (code, value) throws(CaptureError) in
                    switch code {
                    case 9 where value.count >= 1:  // if_tsresol
                        interface.resolution = try TimestampResolution(byte: value.u8(0), offset: offset)
                    case 14 where value.count >= 8:  // if_tsoffset
                        interface.offsetSeconds = Int64(bitPattern: value.u64(0, bigEndian: bigEndian))
                    default:
                        break
                    }
                }
                interfaces.append(interface)
            case Self.enhancedPacketType, Self.obsoletePacketType:
                guard length >= 32 else {
                    throw .corruptRecord(offset: offset, reason: "packet block of \(length) bytes")
                }
                let interfaceID =
                    type == Self.enhancedPacketType
                    ? block.u32(8, bigEndian: bigEndian) : UInt32(block.u16(8, bigEndian: bigEndian))
                guard Int(interfaceID) < interfaces.count else {
                    throw .unknownInterface(offset: offset, interfaceID: interfaceID)
                }
                let interface = interfaces[Int(interfaceID)]
                let ticks = UInt64(block.u32(12, bigEndian: bigEndian)) << 32 | UInt64(block.u32(16, bigEndian: bigEndian))
                let capturedLength = Int(block.u32(20, bigEndian: bigEndian))
                let originalLength = Int(block.u32(24, bigEndian: bigEndian))
                guard capturedLength <= length - 32 else {
                    throw .corruptRecord(
                        offset: offset, reason: "captured length \(capturedLength) exceeds block length \(length)")
                }
                var timestamp = interface.resolution.timestamp(ticks: ticks)
                timestamp.seconds = timestamp.seconds &+ interface.offsetSeconds
                packets.append(
                    CapturedPacket(
                        timestamp: timestamp,
                        linkType: interface.linkType,
                        data: Array(block.sub(28, capturedLength)),
                        originalLength: max(originalLength, capturedLength)
                    )
                )
            case Self.simplePacketType:
                guard length >= 16 else {
                    throw .corruptRecord(offset: offset, reason: "simple packet block of \(length) bytes")
                }
                guard let interface = interfaces.first else {
                    throw .unknownInterface(offset: offset, interfaceID: 0)
                }
                let originalLength = Int(block.u32(8, bigEndian: bigEndian))
                let capturedLength = min(originalLength, length - 16)
                // A Simple Packet Block carries no timestamp.
                packets.append(
                    CapturedPacket(
                        timestamp: .zero,
                        linkType: interface.linkType,
                        data: Array(block.sub(12, capturedLength)),
                        originalLength: originalLength
                    )
                )
            default:
                break
            }
            offset += length
        }
        return packets
    }

    /// Calls `body` with each option's code and value, up to `opt_endofopt` or the end.
    static func readOptions(
        _ options: ArraySlice<UInt8>,
        bigEndian: Bool,
        blockOffset: Int,
        _ body: (UInt16, ArraySlice<UInt8>) throws(CaptureError) -> Void
    ) throws(CaptureError) {
        var offset = 0
        while options.count - offset >= 4 {
            let code = options.u16(offset, bigEndian: bigEndian)
            let length = Int(options.u16(offset + 2, bigEndian: bigEndian))
            if code == 0 {
                return
            }
            guard options.count - offset - 4 >= length else {
                throw .corruptRecord(offset: blockOffset, reason: "option \(code) of \(length) bytes overruns its block")
            }
            try body(code, options.sub(offset + 4, length))
            offset += 4 + (length + 3) / 4 * 4
        }
    }
}
