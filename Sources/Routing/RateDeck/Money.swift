/// An amount in millionths of the deck's currency unit. Integers only: rates
/// such as 0.0045 per minute are exact and sums never drift.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Millionths of the currency unit.
    public var microUnits: Int64

    public init(microUnits: Int64) { self.microUnits = microUnits }

    public static let zero = Money(microUnits: 0)

    /// Parses a plain decimal (`0.0045`, `12`, `.5`), at most 6 fractional digits, no sign, no exponent.
    public init?(decimal text: Substring) {
        var text = text
        guard let money = text.withUTF8({ Self(decimal: $0) }) else { return nil }
        self = money
    }

    /// `init(decimal:)` over ASCII bytes.
    @inline(__always)
    init?(decimal text: UnsafeBufferPointer<UInt8>) {
        guard !text.isEmpty else { return nil }
        var units: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenDot = false
        var seenDigit = false
        for b in text {
            if b == UInt8(ascii: ".") {
                guard !seenDot else { return nil }
                seenDot = true
                continue
            }
            let digit = b &- 0x30
            guard digit < 10 else { return nil }
            seenDigit = true
            if seenDot {
                fractionDigits += 1
                guard fractionDigits <= 6 else { return nil }
                fraction = fraction * 10 + Int64(digit)
            } else {
                // Whole units stay below Int64.max / 1 000 000, so no step can overflow.
                units = units * 10 + Int64(digit)
                guard units <= Int64.max / 1_000_000 else { return nil }
            }
        }
        guard seenDigit else { return nil }
        for _ in fractionDigits..<6 { fraction *= 10 }
        microUnits = units * 1_000_000 + fraction
    }

    /// The amount as a decimal with six fractional digits (`0.004500`).
    public var description: String {
        let sign = microUnits < 0 ? "-" : ""
        let magnitude = microUnits.magnitude
        let fraction = String(magnitude % 1_000_000)
        return sign + String(magnitude / 1_000_000) + "." + String(repeating: "0", count: 6 - fraction.count) + fraction
    }

    public static func < (a: Money, b: Money) -> Bool { a.microUnits < b.microUnits }

    public static func + (a: Money, b: Money) -> Money { Money(microUnits: a.microUnits + b.microUnits) }
}
