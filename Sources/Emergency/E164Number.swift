/// A telephone number in E.164 form (`+15551234567`): `+`, then 1 to 15
/// digits, the first not 0.
public struct E164Number: Sendable, Hashable, Codable, CustomStringConvertible, Comparable {
    /// The digits without `+`.
    public let digits: String

    /// Accepts `+` followed by digits; visual separators (RFC 3966 5.1.1) are dropped.
    public init(_ text: String) throws(EmergencyConfigurationError) {
        var d = ""
        var sawPlus = false
        for c in text.unicodeScalars {
            switch c {
            case "+" where !sawPlus && d.isEmpty: sawPlus = true
            case "0"..."9": d.unicodeScalars.append(c)
            case "-", ".", " ", "(", ")": continue
            default: throw .invalidE164(text)
            }
        }
        guard sawPlus, (1...15).contains(d.count), d.first != "0" else { throw .invalidE164(text) }
        digits = d
    }

    public var description: String { "+" + digits }

    /// A North American number whose area code and exchange both start with
    /// 2-9 (`+1NXXNXXXXXX`), the form Bandwidth's 911 service registers.
    public var isNANP: Bool {
        let d = Array(digits.utf8)
        guard d.count == 11, d[0] == UInt8(ascii: "1") else { return false }
        return d[1] >= UInt8(ascii: "2") && d[4] >= UInt8(ascii: "2")
    }

    /// The ten national digits of a NANP number.
    public var nationalNANP: String? { isNANP ? String(digits.dropFirst()) : nil }

    public static func < (a: E164Number, b: E164Number) -> Bool { a.digits < b.digits }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        self = try E164Number(text)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
