import Routing

extension E164Number {
    /// Reads a configured number: `+` then digits, visual separators
    /// (RFC 3966 5.1.1) dropped; anything else is a configuration error.
    public init(validating text: String) throws(EmergencyConfigurationError) {
        var digits = ""
        var sawPlus = false
        for c in text.unicodeScalars {
            switch c {
            case "+" where !sawPlus && digits.isEmpty: sawPlus = true
            case "0"..."9": digits.unicodeScalars.append(c)
            case "-", ".", " ", "(", ")": continue
            default: throw .invalidE164(text)
            }
        }
        guard sawPlus, let number = E164Number(digits: digits) else { throw .invalidE164(text) }
        self = number
    }

    /// A North American number whose area code and exchange both start with
    /// 2-9 (`+1NXXNXXXXXX`), the form Bandwidth's 911 service registers.
    public var isNANP: Bool {
        let d = Array(digits.utf8)
        guard d.count == 11, d[0] == UInt8(ascii: "1") else { return false }
        return d[1] >= UInt8(ascii: "2") && d[4] >= UInt8(ascii: "2")
    }

    /// The ten national digits of a NANP number.
    public var nationalNANP: String? { isNANP ? String(digits.dropFirst()) : nil }
}
