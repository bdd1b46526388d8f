/// The RTP fixed header with its CSRC list and header extension (RFC 3550 5.1).
public struct RTPHeader: Sendable, Hashable {
    public static let version: UInt8 = 2
    /// Length of the fixed part, without CSRCs or extension.
    public static let fixedLength = 12

    public var marker: Bool
    public var payloadType: UInt8
    public var sequenceNumber: UInt16
    public var timestamp: UInt32
    public var ssrc: UInt32
    /// At most 15 contributing sources.
    public var csrcs: [UInt32]
    public var headerExtension: RTPHeaderExtension?

    public init(
        marker: Bool = false, payloadType: UInt8, sequenceNumber: UInt16, timestamp: UInt32, ssrc: UInt32,
        csrcs: [UInt32] = [], headerExtension: RTPHeaderExtension? = nil
    ) {
        precondition(payloadType < 128 && csrcs.count <= 15, "RTP payload type is 7 bits, CSRC count 4 bits")
        self.marker = marker
        self.payloadType = payloadType
        self.sequenceNumber = sequenceNumber
        self.timestamp = timestamp
        self.ssrc = ssrc
        self.csrcs = csrcs
        self.headerExtension = headerExtension
    }

    /// Bytes this header takes on the wire.
    public var encodedLength: Int {
        Self.fixedLength + 4 * csrcs.count + (headerExtension.map { 4 + $0.data.count } ?? 0)
    }

    /// Appends the header; `padding` sets the P bit for a payload that ends in padding.
    public func write(into bytes: inout [UInt8], padding: Bool = false) {
        var first = Self.version << 6 | UInt8(csrcs.count)
        if padding { first |= 0x20 }
        if headerExtension != nil { first |= 0x10 }
        bytes.append(first)
        bytes.append((marker ? 0x80 : 0) | payloadType)
        bytes.appendBigEndian(sequenceNumber)
        bytes.appendBigEndian(timestamp)
        bytes.appendBigEndian(ssrc)
        for csrc in csrcs { bytes.appendBigEndian(csrc) }
        if let headerExtension {
            bytes.appendBigEndian(headerExtension.profile)
            bytes.appendBigEndian(UInt16(headerExtension.data.count / 4))
            bytes.append(contentsOf: headerExtension.data)
        }
    }
}

extension RTPHeader {
    /// Rewrites the payload type of the RTP packet in `bytes`, keeping the marker bit.
    public static func setPayloadType(_ payloadType: UInt8, in bytes: inout [UInt8]) {
        bytes[1] = bytes[1] & 0x80 | payloadType & 0x7F
    }

    public static func setSequenceNumber(_ sequenceNumber: UInt16, in bytes: inout [UInt8]) {
        bytes.storeBigEndian(sequenceNumber, at: 2)
    }

    public static func setTimestamp(_ timestamp: UInt32, in bytes: inout [UInt8]) {
        bytes.storeBigEndian(timestamp, at: 4)
    }

    public static func setSSRC(_ ssrc: UInt32, in bytes: inout [UInt8]) {
        bytes.storeBigEndian(ssrc, at: 8)
    }
}
