/// Why a capture file, or a packet in it, could not be read.
public enum CaptureError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file ends inside a header or record that starts at `offset`.
    case truncated(offset: Int, needed: Int, available: Int)
    /// The first four bytes are neither a pcap nor a pcapng magic number.
    case badMagic(UInt32)
    /// The pcap or pcapng major version is not one this reader knows.
    case unsupportedVersion(major: UInt16, minor: UInt16)
    /// A record or block header holds an impossible value.
    case corruptRecord(offset: Int, reason: String)
    /// A pcapng packet block names an interface no Interface Description Block declared.
    case unknownInterface(offset: Int, interfaceID: UInt32)
    /// The packet's link-layer header type is not one the decoder understands.
    case unsupportedLinkType(LinkType)
    /// A packet's headers are cut short or inconsistent.
    case malformedPacket(String)

    public var description: String {
        switch self {
        case .truncated(let offset, let needed, let available):
            "capture truncated at offset \(offset): needs \(needed) bytes, \(available) left"
        case .badMagic(let magic):
            "not a pcap or pcapng file (magic 0x\(String(magic, radix: 16)))"
        case .unsupportedVersion(let major, let minor):
            "unsupported capture format version \(major).\(minor)"
        case .corruptRecord(let offset, let reason):
            "corrupt capture record at offset \(offset): \(reason)"
        case .unknownInterface(let offset, let interfaceID):
            "pcapng block at offset \(offset) names undeclared interface \(interfaceID)"
        case .unsupportedLinkType(let linkType):
            "unsupported link type \(linkType) (\(linkType.rawValue))"
        case .malformedPacket(let reason):
            "malformed packet: \(reason)"
        }
    }
}
