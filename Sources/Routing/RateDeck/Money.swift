/// An amount in millionths of the deck's currency unit. Integers only: rates
/// such as 0.0045 per minute are exact and sums never drift.
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Millionths of the currency unit.
    public var microUnits: Int64

    public init(microUnits: Int64) { self.microUnits = microUnits }

    public static let zero = Money(microUnits: 0)

    /// Parses a plain decimal (`0.0045`, `12`, `.5`), at most 6 fractional digits, no sign, no exponent.
    public init?(decimal text: Substring) {
        guard !text.isEmpty else { return nil }
        var units: Int64 = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenDot = false
        var seenDigit = false
        for b in text.utf8 {
            if b == UInt8(ascii: ".") {
                guard !seenDot else { return nil }
                seenDot = true
            } else if b >= 0x30 && b <= 0x39 {
                seenDigit = true
                if seenDot {
                    fractionDigits += 1
                    guard fractionDigits <= 6 else { return nil }
                    fraction = fraction * 10 + Int64(b - 0x30)
                } else {
                    let (m, o1) = units.multipliedReportingOverflow(by: 10)
                    let (a, o2) = m.addingReportingOverflow(Int64(b - 0x30))
                    guard !o1, !o2, a <= Int64.max / 1_000_000 else { return nil }
                    units = a
                }
            } else {
                return nil
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
