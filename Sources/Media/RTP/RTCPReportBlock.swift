/// One reception report block of an SR or RR (RFC 3550 6.4.1): what a receiver saw of one source.
public struct RTCPReportBlock: Sendable, Hashable {
    public static let length = 24

    /// The source this block reports on.
    public var ssrc: UInt32
    /// Fraction of packets lost since the previous report, as a fixed-point number over 256.
    public var fractionLost: UInt8
    /// Cumulative packets lost, a signed 24-bit count (negative when duplicates arrived).
    public var cumulativeLost: Int32
    /// Extended highest sequence number received (cycles in the high 16 bits).
    public var extendedHighestSequence: UInt32
    /// Interarrival jitter in timestamp units (RFC 3550 6.4.1, A.8).
    public var jitter: UInt32
    /// Middle 32 bits of the NTP timestamp of the last SR received (LSR).
    public var lastSenderReport: UInt32
    /// Delay since that SR, in units of 1/65536 s (DLSR).
    public var delaySinceLastSenderReport: UInt32

    public init(
        ssrc: UInt32, fractionLost: UInt8, cumulativeLost: Int32, extendedHighestSequence: UInt32, jitter: UInt32,
        lastSenderReport: UInt32 = 0, delaySinceLastSenderReport: UInt32 = 0
    ) {
        self.ssrc = ssrc
        self.fractionLost = fractionLost
        self.cumulativeLost = cumulativeLost
        self.extendedHighestSequence = extendedHighestSequence
        self.jitter = jitter
        self.lastSenderReport = lastSenderReport
        self.delaySinceLastSenderReport = delaySinceLastSenderReport
    }

    /// Fraction lost as a value in 0...1.
    public var lossFraction: Double { Double(fractionLost) / 256 }

    init(bytes: [UInt8], at offset: Int) {
        ssrc = bytes.bigEndianUInt32(at: offset)
        fractionLost = bytes[offset + 4]
        let raw = UInt32(bytes[offset + 5]) << 16 | UInt32(bytes[offset + 6]) << 8 | UInt32(bytes[offset + 7])
        // Sign-extend the 24-bit count.
        cumulativeLost = Int32(bitPattern: raw << 8) >> 8
        extendedHighestSequence = bytes.bigEndianUInt32(at: offset + 8)
        jitter = bytes.bigEndianUInt32(at: offset + 12)
        lastSenderReport = bytes.bigEndianUInt32(at: offset + 16)
        delaySinceLastSenderReport = bytes.bigEndianUInt32(at: offset + 20)
    }

    func write(into bytes: inout [UInt8]) {
        bytes.appendBigEndian(ssrc)
        bytes.append(fractionLost)
        let lost = UInt32(bitPattern: max(-0x80_0000, min(0x7F_FFFF, cumulativeLost)))
        bytes.append(UInt8(truncatingIfNeeded: lost >> 16))
        bytes.append(UInt8(truncatingIfNeeded: lost >> 8))
        bytes.append(UInt8(truncatingIfNeeded: lost))
        bytes.appendBigEndian(extendedHighestSequence)
        bytes.appendBigEndian(jitter)
        bytes.appendBigEndian(lastSenderReport)
        bytes.appendBigEndian(delaySinceLastSenderReport)
    }
}
