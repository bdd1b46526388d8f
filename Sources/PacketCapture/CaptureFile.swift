/// A whole capture file, classic pcap or pcapng, read into packet records.
///
/// The format and byte order come from the file's magic number. Reading is
/// strict: a file cut off inside a record, or a record with an impossible
/// length, is an error rather than a silently shorter packet list.
public struct CaptureFile: Sendable {
    /// The container format a capture was read from.
    public enum Format: Hashable, Sendable {
        case pcap(bigEndian: Bool, nanosecond: Bool)
        case pcapng
    }

    public var format: Format
    public var packets: [CapturedPacket]

    public init(bytes: [UInt8]) throws(CaptureError) {
        let all = bytes[...]
        guard all.count >= 4 else {
            throw .truncated(offset: 0, needed: 4, available: all.count)
        }
        let magic = all.u32(0, bigEndian: true)
        switch magic {
        case PcapReader.microsecondMagic, PcapReader.nanosecondMagic,
            PcapReader.microsecondMagic.byteSwapped, PcapReader.nanosecondMagic.byteSwapped:
            let reader = try PcapReader(bytes: all)
            format = .pcap(bigEndian: reader.bigEndian, nanosecond: reader.nanosecond)
            packets = try reader.packets()
        case PcapngReader.sectionHeaderType:
            format = .pcapng
            packets = try PcapngReader(bytes: all).packets()
        default:
            throw .badMagic(magic)
        }
    }
}
