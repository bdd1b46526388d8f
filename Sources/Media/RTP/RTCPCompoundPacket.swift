/// A compound RTCP packet (RFC 3550 6.1), validated as in A.2: version 2 throughout, a report first,
/// padding only on the last packet, lengths adding up to the datagram.
public struct RTCPCompoundPacket: Sendable, Hashable {
    public var packets: [RTCPPacket]

    /// Every report block of every SR and RR, in order.
    public var reportBlocks: [RTCPReportBlock] {
        packets.flatMap { packet -> [RTCPReportBlock] in
            switch packet {
            case .senderReport(let report): report.reportBlocks
            case .receiverReport(let report): report.reportBlocks
            case .other: []
            }
        }
    }

    /// Parses `bytes`; `reducedSize` accepts a compound that does not start with a report (RFC 5506 3.4.2).
    public init(parsing bytes: [UInt8], reducedSize: Bool = false) throws(RTPParseError) {
        var packets: [RTCPPacket] = []
        try Self.walk(bytes, reducedSize: reducedSize) { (offset, length) throws(RTPParseError) in
            let count = Int(bytes[offset] & 0x1F)
            let type = bytes[offset + 1]
            let end = offset + length - Self.padding(bytes, offset: offset, length: length)
            switch type {
            case RTCPPacket.PacketType.senderReport:
                guard end - offset >= 28 + count * RTCPReportBlock.length else { throw .invalidReportCount }
                let blocks = (0..<count).map { RTCPReportBlock(bytes: bytes, at: offset + 28 + $0 * RTCPReportBlock.length) }
                packets.append(
                    .senderReport(
                        RTCPSenderReport(
                            ssrc: bytes.bigEndianUInt32(at: offset + 4),
                            ntpTimestamp: UInt64(bytes.bigEndianUInt32(at: offset + 8)) << 32
                                | UInt64(bytes.bigEndianUInt32(at: offset + 12)),
                            rtpTimestamp: bytes.bigEndianUInt32(at: offset + 16),
                            packetCount: bytes.bigEndianUInt32(at: offset + 20),
                            octetCount: bytes.bigEndianUInt32(at: offset + 24), reportBlocks: blocks)))
            case RTCPPacket.PacketType.receiverReport:
                guard end - offset >= 8 + count * RTCPReportBlock.length else { throw .invalidReportCount }
                let blocks = (0..<count).map { RTCPReportBlock(bytes: bytes, at: offset + 8 + $0 * RTCPReportBlock.length) }
                packets.append(.receiverReport(RTCPReceiverReport(ssrc: bytes.bigEndianUInt32(at: offset + 4), reportBlocks: blocks)))
            default:
                packets.append(.other(packetType: type, range: offset..<(offset + length)))
            }
        }
        self.packets = packets
    }

    /// Serializes SR and RR packets; `.other` packets are copied from `original`, the datagram they were parsed from.
    public func serialized(original: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        for packet in packets {
            switch packet {
            case .senderReport(let report): report.write(into: &bytes)
            case .receiverReport(let report): report.write(into: &bytes)
            case .other(_, let range): bytes.append(contentsOf: original[range])
            }
        }
        return bytes
    }

    /// Visits each packet of a compound as (offset, length in bytes), checking RFC 3550 A.2's rules.
    static func walk(
        _ bytes: [UInt8], reducedSize: Bool, _ body: (Int, Int) throws(RTPParseError) -> Void
    ) throws(RTPParseError) {
        guard bytes.count >= 4 else { throw .truncated }
        if !reducedSize, bytes[1] != RTCPPacket.PacketType.senderReport, bytes[1] != RTCPPacket.PacketType.receiverReport {
            throw .compoundMustStartWithReport
        }
        var offset = 0
        while offset < bytes.count {
            guard bytes.count - offset >= 4 else { throw .truncated }
            let version = bytes[offset] >> 6
            guard version == 2 else { throw .unsupportedVersion(version) }
            let length = 4 * (Int(bytes.bigEndianUInt16(at: offset + 2)) + 1)
            guard offset + length <= bytes.count else { throw .invalidLength }
            if bytes[offset] & 0x20 != 0 {
                guard offset + length == bytes.count else { throw .paddingNotLast }
                let padding = Int(bytes[offset + length - 1])
                guard padding > 0, padding <= length - 4 else { throw .invalidPadding }
            }
            try body(offset, length)
            offset += length
        }
    }

    static func padding(_ bytes: [UInt8], offset: Int, length: Int) -> Int {
        bytes[offset] & 0x20 != 0 ? Int(bytes[offset + length - 1]) : 0
    }
}

extension RTCPCompoundPacket {
    /// Rewrites, in place, every SSRC a compound names: senders of SR/RR/APP/XR/feedback, report block sources,
    /// SDES chunk sources, BYE sources and feedback media sources. `map` returns the new value for an SSRC.
    /// An SR's RTP timestamp goes through `rtpTimestamp` when given (a transcoder's clock change).
    public static func rewrite(
        _ bytes: inout [UInt8], reducedSize: Bool = false, ssrc map: (UInt32) -> UInt32,
        rtpTimestamp: ((UInt32) -> UInt32)? = nil
    ) throws(RTPParseError) {
        var rewrites: [(offset: Int, isTimestamp: Bool)] = []
        let view = bytes
        try walk(view, reducedSize: reducedSize) { (offset, length) throws(RTPParseError) in
            let count = Int(view[offset] & 0x1F)
            let end = offset + length - padding(view, offset: offset, length: length)
            switch view[offset + 1] {
            case RTCPPacket.PacketType.senderReport:
                guard end - offset >= 28 + count * RTCPReportBlock.length else { throw .invalidReportCount }
                rewrites.append((offset + 4, false))
                rewrites.append((offset + 16, true))
                for index in 0..<count { rewrites.append((offset + 28 + index * RTCPReportBlock.length, false)) }
            case RTCPPacket.PacketType.receiverReport:
                guard end - offset >= 8 + count * RTCPReportBlock.length else { throw .invalidReportCount }
                rewrites.append((offset + 4, false))
                for index in 0..<count { rewrites.append((offset + 8 + index * RTCPReportBlock.length, false)) }
            case RTCPPacket.PacketType.sourceDescription:
                // Chunks: SSRC, then items ended by a zero octet and padded to 32 bits (RFC 3550 6.5).
                var chunk = offset + 4
                for _ in 0..<count {
                    guard chunk + 4 <= end else { throw .invalidReportCount }
                    rewrites.append((chunk, false))
                    var item = chunk + 4
                    while true {
                        guard item < end else { throw .invalidLength }
                        if view[item] == 0 { break }
                        guard item + 2 <= end else { throw .invalidLength }
                        item += 2 + Int(view[item + 1])
                    }
                    chunk = (item + 4) & ~3
                }
            case RTCPPacket.PacketType.goodbye:
                guard end - offset >= 4 + 4 * count else { throw .invalidReportCount }
                for index in 0..<count { rewrites.append((offset + 4 + 4 * index, false)) }
            case RTCPPacket.PacketType.transportFeedback, RTCPPacket.PacketType.payloadFeedback:
                guard end - offset >= 12 else { throw .truncated }
                rewrites.append((offset + 4, false))
                rewrites.append((offset + 8, false))
            case RTCPPacket.PacketType.application, RTCPPacket.PacketType.extendedReport:
                guard end - offset >= 8 else { throw .truncated }
                rewrites.append((offset + 4, false))
            default:
                break
            }
        }
        for (offset, isTimestamp) in rewrites {
            let value = bytes.bigEndianUInt32(at: offset)
            if isTimestamp {
                if let rtpTimestamp { bytes.storeBigEndian(rtpTimestamp(value), at: offset) }
            } else {
                bytes.storeBigEndian(map(value), at: offset)
            }
        }
    }
}
