/// Classic libpcap files: a 24-byte global header, then 16-byte record headers.
///
/// Either byte order, microsecond (`a1b2c3d4`) or nanosecond (`a1b23c4d`) magic.
struct PcapReader {
    static let microsecondMagic: UInt32 = 0xA1B2_C3D4
    static let nanosecondMagic: UInt32 = 0xA1B2_3C4D
    static let globalHeaderLength = 24
    static let recordHeaderLength = 16
    /// Larger records are corruption, not packets (libpcap's own limit is 256 KiB for most links).
    static let maximumRecordLength = 16 * 1024 * 1024

    let bytes: ArraySlice<UInt8>
    let bigEndian: Bool
    let nanosecond: Bool
    let linkType: LinkType

    init(bytes: ArraySlice<UInt8>) throws(CaptureError) {
        guard bytes.count >= Self.globalHeaderLength else {
            throw .truncated(offset: 0, needed: Self.globalHeaderLength, available: bytes.count)
        }
        let magic = bytes.u32(0, bigEndian: true)
        bigEndian = magic == Self.microsecondMagic || magic == Self.nanosecondMagic
        nanosecond = magic == Self.nanosecondMagic || magic == Self.nanosecondMagic.byteSwapped
        let major = bytes.u16(4, bigEndian: bigEndian)
        let minor = bytes.u16(6, bigEndian: bigEndian)
        guard major == 2 else {
            throw .unsupportedVersion(major: major, minor: minor)
        }
        // The upper bits of the link-type field carry FCS information; the type is the low 16.
        linkType = LinkType(rawValue: bytes.u32(20, bigEndian: bigEndian) & 0xFFFF)
        self.bytes = bytes
    }

    func packets() throws(CaptureError) -> [CapturedPacket] {
        var packets: [CapturedPacket] = []
        var offset = Self.globalHeaderLength
        while offset < bytes.count {
            let remaining = bytes.count - offset
            guard remaining >= Self.recordHeaderLength else {
                throw .truncated(offset: offset, needed: Self.recordHeaderLength, available: remaining)
            }
            let seconds = bytes.u32(offset, bigEndian: bigEndian)
            let fraction = bytes.u32(offset + 4, bigEndian: bigEndian)
            let capturedLength = Int(bytes.u32(offset + 8, bigEndian: bigEndian))
            let originalLength = Int(bytes.u32(offset + 12, bigEndian: bigEndian))
            guard capturedLength <= Self.maximumRecordLength else {
                throw .corruptRecord(offset: offset, reason: "captured length \(capturedLength) is implausible")
            }
            guard fraction < (nanosecond ? 1_000_000_000 : 1_000_000) else {
                throw .corruptRecord(offset: offset, reason: "timestamp fraction \(fraction) out of range")
            }
            let dataStart = offset + Self.recordHeaderLength
            guard bytes.count - dataStart >= capturedLength else {
                throw .truncated(offset: offset, needed: Self.recordHeaderLength + capturedLength, available: remaining)
            }
            packets.append(
                CapturedPacket(
                    timestamp: CaptureTimestamp(
                        seconds: Int64(seconds),
                        nanoseconds: nanosecond ? fraction : fraction * 1000
                    ),
                    linkType: linkType,
                    data: Array(bytes.sub(dataStart, capturedLength)),
                    originalLength: max(originalLength, capturedLength)
                )
            )
            offset = dataStart + capturedLength
        }
        return packets
    }
}
