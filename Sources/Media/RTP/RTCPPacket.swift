/// One packet of an RTCP compound packet (RFC 3550 6.4); reports are decoded, other types kept by position.
public enum RTCPPacket: Sendable, Hashable {
    case senderReport(RTCPSenderReport)
    case receiverReport(RTCPReceiverReport)
    /// SDES, BYE, APP, feedback, XR...: the packet type and where it lies in the compound.
    case other(packetType: UInt8, range: Range<Int>)

    /// RTCP packet types (RFC 3550 12.1, RFC 4585 6.1, RFC 3611).
    public enum PacketType {
        public static let senderReport: UInt8 = 200
        public static let receiverReport: UInt8 = 201
        public static let sourceDescription: UInt8 = 202
        public static let goodbye: UInt8 = 203
        public static let application: UInt8 = 204
        public static let transportFeedback: UInt8 = 205
        public static let payloadFeedback: UInt8 = 206
        public static let extendedReport: UInt8 = 207
    }
}

/// A sender report (RFC 3550 6.4.1).
public struct RTCPSenderReport: Sendable, Hashable {
    public var ssrc: UInt32
    /// 64-bit NTP timestamp of the report.
    public var ntpTimestamp: UInt64
    /// The same instant on the sender's RTP clock.
    public var rtpTimestamp: UInt32
    public var packetCount: UInt32
    public var octetCount: UInt32
    public var reportBlocks: [RTCPReportBlock]

    public init(
        ssrc: UInt32, ntpTimestamp: UInt64, rtpTimestamp: UInt32, packetCount: UInt32, octetCount: UInt32,
        reportBlocks: [RTCPReportBlock] = []
    ) {
        self.ssrc = ssrc
        self.ntpTimestamp = ntpTimestamp
        self.rtpTimestamp = rtpTimestamp
        self.packetCount = packetCount
        self.octetCount = octetCount
        self.reportBlocks = reportBlocks
    }

    /// Appends the packet (header included).
    public func write(into bytes: inout [UInt8]) {
        precondition(reportBlocks.count <= 31, "RTCP report count is 5 bits")
        bytes.append(0x80 | UInt8(reportBlocks.count))
        bytes.append(RTCPPacket.PacketType.senderReport)
        bytes.appendBigEndian(UInt16(6 + 6 * reportBlocks.count))
        bytes.appendBigEndian(ssrc)
        bytes.appendBigEndian(UInt32(truncatingIfNeeded: ntpTimestamp >> 32))
        bytes.appendBigEndian(UInt32(truncatingIfNeeded: ntpTimestamp))
        bytes.appendBigEndian(rtpTimestamp)
        bytes.appendBigEndian(packetCount)
        bytes.appendBigEndian(octetCount)
        for block in reportBlocks { block.write(into: &bytes) }
    }
}

/// A receiver report (RFC 3550 6.4.2).
public struct RTCPReceiverReport: Sendable, Hashable {
    public var ssrc: UInt32
    public var reportBlocks: [RTCPReportBlock]

    public init(ssrc: UInt32, reportBlocks: [RTCPReportBlock] = []) {
        self.ssrc = ssrc
        self.reportBlocks = reportBlocks
    }

    /// Appends the packet (header included).
    public func write(into bytes: inout [UInt8]) {
        precondition(reportBlocks.count <= 31, "RTCP report count is 5 bits")
        bytes.append(0x80 | UInt8(reportBlocks.count))
        bytes.append(RTCPPacket.PacketType.receiverReport)
        bytes.appendBigEndian(UInt16(1 + 6 * reportBlocks.count))
        bytes.appendBigEndian(ssrc)
        for block in reportBlocks { block.write(into: &bytes) }
    }
}
