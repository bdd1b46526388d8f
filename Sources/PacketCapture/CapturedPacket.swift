/// One packet record of a capture file, before any protocol decoding.
public struct CapturedPacket: Hashable, Sendable {
    public var timestamp: CaptureTimestamp
    public var linkType: LinkType
    /// The captured bytes, starting with the link-layer header.
    public var data: [UInt8]
    /// The packet's length on the wire; larger than `data.count` when the snap length cut it.
    public var originalLength: Int

    public init(timestamp: CaptureTimestamp, linkType: LinkType, data: [UInt8], originalLength: Int? = nil) {
        self.timestamp = timestamp
        self.linkType = linkType
        self.data = data
        self.originalLength = originalLength ?? data.count
    }

    /// Whether the snap length cut the packet short.
    public var isTruncated: Bool {
        data.count < originalLength
    }
}
