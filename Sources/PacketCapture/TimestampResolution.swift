/// The unit of a pcapng interface's timestamps (`if_tsresol`): 10^-n or 2^-n seconds.
enum TimestampResolution: Hashable {
    case decimal(UInt8)
    case binary(UInt8)

    init(byte: UInt8, offset: Int) throws(CaptureError) {
        let exponent = byte & 0x7F
        if byte & 0x80 == 0 {
            guard exponent <= 19 else {
                throw .corruptRecord(offset: offset, reason: "if_tsresol 10^-\(exponent)")
            }
            self = .decimal(exponent)
        } else {
            guard exponent <= 63 else {
                throw .corruptRecord(offset: offset, reason: "if_tsresol 2^-\(exponent)")
            }
            self = .binary(exponent)
        }
    }

    func timestamp(ticks: UInt64) -> CaptureTimestamp {
        switch self {
        case .decimal(let exponent):
            var perSecond: UInt64 = 1
            for _ in 0..<exponent { perSecond *= 10 }
            let fraction = ticks % perSecond
            let nanoseconds: UInt64
            if exponent <= 9 {
                var scale: UInt64 = 1
                for _ in exponent..<9 { scale *= 10 }
                nanoseconds = fraction * scale
            } else {
                var scale: UInt64 = 1
                for _ in 9..<exponent { scale *= 10 }
                nanoseconds = fraction / scale
            }
            return CaptureTimestamp(seconds: Int64(clamping: ticks / perSecond), nanoseconds: UInt32(nanoseconds))
        case .binary(let exponent):
            let fraction = exponent == 0 ? 0 : ticks & (UInt64.max >> (64 - exponent))
            let scaled = fraction.multipliedFullWidth(by: 1_000_000_000)
            // (fraction × 10^9) >> exponent, across the 128-bit product.
            let nanoseconds: UInt64 =
                exponent == 0 ? 0 : (scaled.low >> exponent) | (exponent == 64 ? 0 : scaled.high << (64 - exponent))
            return CaptureTimestamp(seconds: Int64(clamping: ticks >> exponent), nanoseconds: UInt32(nanoseconds))
        }
    }
}
