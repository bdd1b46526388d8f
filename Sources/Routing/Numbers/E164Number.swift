/// A telephone number in ITU-T E.164 form: country code and national
/// significant number, at most 15 digits, no leading zero. The `+` is not
/// stored; `NumberFormat` decides how a carrier gets to see it.
public struct E164Number: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    /// ITU-T E.164 section 6.1: at most 15 digits, country code included.
    public static let maximumDigits = 15

    /// The digits, country code first, ASCII `0`-`9` only.
    public let digits: String

    /// Accepts 1 to 15 ASCII digits with a non-zero first digit (country codes never start with 0).
    public init?(digits: String) {
        let utf8 = digits.utf8
        guard let first = utf8.first, first != UInt8(ascii: "0"), utf8.count <= Self.maximumDigits,
            utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        self.digits = digits
    }

    /// Accepts `+` followed by digits, or digits alone.
    public init?(_ text: String) {
        self.init(digits: text.hasPrefix("+") ? String(text.dropFirst()) : text)
    }

    /// `+` and the digits.
    public var description: String { "+" + digits }

    /// Whether the number starts with `prefix` (digits, no `+`).
    public func hasPrefix(_ prefix: String) -> Bool { digits.hasPrefix(prefix) }

    /// Equal lengths compare as numbers; a shorter number sorts first.
    public static func < (a: E164Number, b: E164Number) -> Bool {
        let la = a.digits.utf8.count
        let lb = b.digits.utf8.count
        return la != lb ? la < lb : a.digits.utf8.lexicographicallyPrecedes(b.digits.utf8)
    }

    /// Encoded as its `+digits` text.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let number = E164Number(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not an E.164 number: \(text)"))
        }
        self = number
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
