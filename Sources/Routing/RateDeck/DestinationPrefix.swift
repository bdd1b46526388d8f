/// A rate deck prefix, 1 to 15 E.164 digits, packed four bits a digit into
/// one integer: digit `d` is stored as `d + 1`, the first digit in bits
/// 56-59, each next digit four bits lower, unused positions zero. Comparing
/// packed values orders prefixes as strings, each before its extensions,
/// which is the order the rate table is built in.
struct DestinationPrefix: Sendable, Hashable, Comparable {
    let packed: UInt64

    /// Shift of the first digit's four bits.
    static let firstShift: UInt64 = 56

    /// ASCII digits, 1 to 15 of them; nil otherwise.
    @inline(__always)
    init?(ascii digits: UnsafeBufferPointer<UInt8>) {
        guard !digits.isEmpty, digits.count <= E164Number.maximumDigits else { return nil }
        var packed: UInt64 = 0
        var shift = Self.firstShift
        for byte in digits {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            packed |= UInt64(digit + 1) << shift
            shift &-= 4
        }
        self.packed = packed
    }

    /// `digits` as ASCII digits, 1 to 15 of them; nil otherwise.
    init?(_ digits: String) {
        var digits = digits
        guard let prefix = digits.withUTF8({ Self(ascii: $0) }) else { return nil }
        self = prefix
    }

    /// The first (up to) 15 digits of an E.164 number, for prefix comparisons.
    init(number: E164Number) {
        var digits = number.digits
        packed = digits.withUTF8 { Self(ascii: UnsafeBufferPointer(rebasing: $0.prefix(E164Number.maximumDigits)))?.packed ?? 0 }
    }

    /// Number of digits.
    var length: Int { E164Number.maximumDigits - packed.trailingZeroBitCount / 4 }

    /// The digit (0-9) at `position` (0-based); only for positions below `length`.
    @inline(__always)
    func digit(at position: Int) -> Int {
        Int(truncatingIfNeeded: (packed >> (Self.firstShift &- UInt64(4 * position))) & 0xF) &- 1
    }

    /// Whether `other` starts with this prefix (`other` packed by `init(number:)` or as a prefix).
    func isPrefix(of other: DestinationPrefix) -> Bool {
        let unused = UInt64(4 * (E164Number.maximumDigits - length))
        return other.packed >> unused == packed >> unused
    }

    /// Number of leading digits two prefixes share.
    func commonLength(with other: DestinationPrefix) -> Int {
        let difference = packed ^ other.packed
        guard difference != 0 else { return length }
        return (difference.leadingZeroBitCount - 4) / 4
    }

    /// The digits as text.
    var digits: String {
        let count = length
        return String(unsafeUninitializedCapacity: count) { buffer in
            for i in 0..<count { buffer[i] = UInt8(truncatingIfNeeded: 0x30 + digit(at: i)) }
            return count
        }
    }

    static func < (a: DestinationPrefix, b: DestinationPrefix) -> Bool { a.packed < b.packed }
}
