/// A validated RTP packet (RFC 3550 5.1): its header and where the payload lies in the datagram.
public struct RTPPacket: Sendable, Hashable {
    public var header: RTPHeader
    /// Where the payload sits in the parsed bytes: after the header, before any padding.
    public var payloadRange: Range<Int>
    /// Padding octets at the end, including the count octet; zero without the P bit.
    public var paddingLength: Int

    /// Offset of the payload, i.e. the length of the header with CSRCs and extension.
    public var headerLength: Int { payloadRange.lowerBound }

    /// Parses and validates `bytes` (RFC 3550 5.1 and A.1's header checks).
    public init(parsing bytes: [UInt8]) throws(RTPParseError) {
        guard bytes.count >= RTPHeader.fixedLength else { throw .truncated }
        let version = bytes[0] >> 6
        guard version == RTPHeader.version else { throw .unsupportedVersion(version) }
        let csrcCount = Int(bytes[0] & 0x0F)
        var offset = RTPHeader.fixedLength + 4 * csrcCount
        guard bytes.count >= offset else { throw .truncated }
        var csrcs: [UInt32] = []
        if csrcCount > 0 {
            csrcs.reserveCapacity(csrcCount)
            for index in 0..<csrcCount { csrcs.append(bytes.bigEndianUInt32(at: 12 + 4 * index)) }
        }
        var headerExtension: RTPHeaderExtension?
        if bytes[0] & 0x10 != 0 {
            guard bytes.count >= offset + 4 else { throw .truncated }
            let profile = bytes.bigEndianUInt16(at: offset)
            let words = Int(bytes.bigEndianUInt16(at: offset + 2))
            guard bytes.count >= offset + 4 + 4 * words else { throw .truncated }
            headerExtension = RTPHeaderExtension(profile: profile, data: Array(bytes[(offset + 4)..<(offset + 4 + 4 * words)]))
            offset += 4 + 4 * words
        }
        var padding = 0
        if bytes[0] & 0x20 != 0 {
            padding = Int(bytes[bytes.count - 1])
            guard padding > 0, padding <= bytes.count - offset else { throw .invalidPadding }
        }
        self.header = RTPHeader(
            marker: bytes[1] & 0x80 != 0, payloadType: bytes[1] & 0x7F,
            sequenceNumber: bytes.bigEndianUInt16(at: 2), timestamp: bytes.bigEndianUInt32(at: 4),
            ssrc: bytes.bigEndianUInt32(at: 8), csrcs: csrcs, headerExtension: headerExtension)
        self.payloadRange = offset..<(bytes.count - padding)
        self.paddingLength = padding
    }

    /// Builds a datagram from a header and payload; `paddingTo` pads the total to a multiple (RFC 3550 5.1, P bit).
    public static func build(header: RTPHeader, payload: some Collection<UInt8>, paddingTo multiple: Int = 1) -> [UInt8] {
        let unpadded = header.encodedLength + payload.count
        let padding = multiple > 1 && unpadded % multiple != 0 ? multiple - unpadded % multiple : 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(unpadded + padding)
        header.write(into: &bytes, padding: padding > 0)
        bytes.append(contentsOf: payload)
        if padding > 0 {
            bytes.append(contentsOf: repeatElement(0, count: padding - 1))
            bytes.append(UInt8(padding))
        }
        return bytes
    }

    /// RFC 5761 4: on a multiplexed port, a second octet of 192...223 (RTCP packet types 192-223) marks RTCP.
    public static func isRTCP(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && (192...223).contains(bytes[1])
    }
}
