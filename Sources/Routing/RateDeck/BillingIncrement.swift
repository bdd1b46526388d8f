/// How a carrier rounds call durations: a first block of `initial` seconds,
/// then blocks of `subsequent` seconds (`60/60` per minute, `1/1` per second,
/// `60/6` a minimum minute then six-second steps).
public struct BillingIncrement: Sendable, Hashable, CustomStringConvertible {
    public var initial: Int
    public var subsequent: Int

    /// Both at least one second.
    public init?(initial: Int, subsequent: Int) {
        guard initial >= 1, subsequent >= 1 else { return nil }
        self.initial = initial
        self.subsequent = subsequent
    }

    /// Parses `initial/subsequent` (`60/6`) or a single number for both (`60`).
    public init?(_ text: Substring) {
        var text = text
        guard let increment = text.withUTF8({ Self(ascii: $0) }) else { return nil }
        self = increment
    }

    /// `init(_:)` over ASCII bytes.
    init?(ascii text: UnsafeBufferPointer<UInt8>) {
        guard let slash = text.firstIndex(of: UInt8(ascii: "/")) else {
            guard let both = Self.integer(text) else { return nil }
            self.init(initial: both, subsequent: both)
            return
        }
        let first = UnsafeBufferPointer(rebasing: text[..<slash])
        let rest = UnsafeBufferPointer(rebasing: text[(slash + 1)...])
        guard !rest.contains(UInt8(ascii: "/")), let i = Self.integer(first), let s = Self.integer(rest) else { return nil }
        self.init(initial: i, subsequent: s)
    }

    /// A decimal integer as `Int(_:)` reads it: an optional sign, then
    /// digits, nil when empty, not digits or out of range.
    static func integer(_ text: UnsafeBufferPointer<UInt8>) -> Int? {
        var digits = text[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value = 0
        for byte in digits {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (next, o2) = negative ? shifted.subtractingReportingOverflow(Int(digit)) : shifted.addingReportingOverflow(Int(digit))
            guard !o1, !o2 else { return nil }
            value = next
        }
        return value
    }

    public static let perMinute = BillingIncrement(initial: 60, subsequent: 60)!
    public static let perSecond = BillingIncrement(initial: 1, subsequent: 1)!

    /// The seconds billed for a call of `seconds`: none for an unanswered call,
    /// at least `initial`, then rounded up to whole `subsequent` blocks.
    public func billedSeconds(for seconds: Int) -> Int {
        guard seconds > 0 else { return 0 }
        guard seconds > initial else { return initial }
        let rest = seconds - initial
        return initial + (rest + subsequent - 1) / subsequent * subsequent
    }

    public var description: String { "\(initial)/\(subsequent)" }
}
