/// Character classes of RFC 3261 section 25.1 and the byte constants the
/// parsers use.
@usableFromInline
enum ASCII {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let sp: UInt8 = 0x20
    static let htab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let comma: UInt8 = 0x2C
    static let equals: UInt8 = 0x3D
    static let quote: UInt8 = 0x22
    static let backslash: UInt8 = 0x5C
    static let lessThan: UInt8 = 0x3C
    static let greaterThan: UInt8 = 0x3E
    static let slash: UInt8 = 0x2F
    static let at: UInt8 = 0x40
    static let question: UInt8 = 0x3F
    static let ampersand: UInt8 = 0x26
    static let percent: UInt8 = 0x25
    static let openBracket: UInt8 = 0x5B
    static let closeBracket: UInt8 = 0x5D
    static let dot: UInt8 = 0x2E
    static let dash: UInt8 = 0x2D
    static let plus: UInt8 = 0x2B
    static let star: UInt8 = 0x2A

    /// A set of ASCII characters as a 128-bit mask: classification is a
    /// shift and a test, with no table in memory.
    struct Class {
        let low: UInt64
        let high: UInt64
        /// `token` characters (RFC 3261 25.1).
        static let token = Class(low: 0x03FF6CA200000000, high: 0x47FFFFFF87FFFFFE)
        static let digit = Class(low: 0x03FF000000000000, high: 0x0000000000000000)
        static let alpha = Class(low: 0x0000000000000000, high: 0x07FFFFFE07FFFFFE)
        static let hex = Class(low: 0x03FF000000000000, high: 0x0000007E0000007E)
        /// `unreserved` = alphanum / mark.
        static let unreserved = Class(low: 0x03FF678200000000, high: 0x47FFFFFE87FFFFFE)
        /// `user-unreserved` of RFC 3261 (allowed unescaped in the user part besides unreserved).
        static let userExtra = Class(low: 0xA800985000000000, high: 0x0000000000000000)
        /// `param-unreserved` (allowed in URI parameters besides unreserved).
        static let paramExtra = Class(low: 0x0400885000000000, high: 0x0000000028000000)
        /// `hnv-unreserved` (allowed in URI headers besides unreserved).
        static let headerExtra = Class(low: 0x8400881000000000, high: 0x0000000028000000)
        /// Characters allowed in `password` besides unreserved.
        static let passwordExtra = Class(low: 0x2000185000000000, high: 0x0000000000000000)
        /// Characters of a `word` (Call-ID) besides alphanum.
        static let word = Class(low: 0xD7FFEFA600000000, high: 0x6FFFFFFFBFFFFFFE)
        /// Linear white space: SP, HTAB, CR, LF (folding is white space).
        static let whitespace = Class(low: 0x0000000100002600, high: 0x0000000000000000)
        /// Characters allowed in an absolute URI (RFC 3986 without SP, <, >, ").
        static let uric = Class(low: 0xAFFFFFFA00000000, high: 0x7FFFFFFFFFFFFFFF)
        /// Host name characters: alphanum, '-', '.'.
        static let hostname = Class(low: 0x03FF600000000000, high: 0x07FFFFFE07FFFFFE)
        /// Characters of a URI user part other than escapes: unreserved / user-unreserved.
        static let userChar = Class(low: 0xABFFFFD200000000, high: 0x47FFFFFE87FFFFFE)
        /// Characters of a URI password other than escapes.
        static let passwordChar = Class(low: 0x23FF7FD200000000, high: 0x47FFFFFE87FFFFFE)
        /// Characters of a URI parameter name or value other than escapes: unreserved / param-unreserved.
        static let paramChar = Class(low: 0x07FFEFD200000000, high: 0x47FFFFFEAFFFFFFE)
        /// Characters of a URI header name or value other than escapes: unreserved / hnv-unreserved.
        static let headerChar = Class(low: 0x87FFEF9200000000, high: 0x47FFFFFEAFFFFFFE)
        /// Characters of a host name or IPv4 address (and '_', seen in the wild).
        static let hostChar = Class(low: 0x03FF600000000000, high: 0x07FFFFFE87FFFFFE)
    }

    @inline(__always)
    static func `is`(_ byte: UInt8, _ c: Class) -> Bool {
        if byte < 64 { return (c.low >> UInt64(byte)) & 1 != 0 }
        if byte < 128 { return (c.high >> UInt64(byte &- 64)) & 1 != 0 }
        return false
    }

    @inline(__always)
    static func lower(_ b: UInt8) -> UInt8 {
        (b &- 0x41) < 26 ? b | 0x20 : b
    }

    @inline(__always)
    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    @inline(__always)
    static func isWhitespace(_ b: UInt8) -> Bool {
        b == sp || b == htab || b == cr || b == lf
    }
}

extension Collection where Element == UInt8 {
    /// ASCII case-insensitive comparison with a lowercase literal.
    @inlinable
    func equalsLowercase(_ lowercase: StaticString) -> Bool {
        guard count == lowercase.utf8CodeUnitCount else { return false }
        return lowercase.withUTF8Buffer { lit in
            var i = 0
            for b in self {
                let l = (b &- 0x41) < 26 ? b | 0x20 : b
                if l != lit[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// ASCII case-insensitive comparison with other bytes.
    func equalsIgnoringCase<Other: Collection<UInt8>>(_ other: Other) -> Bool {
        guard count == other.count else { return false }
        var j = other.startIndex
        for b in self {
            if ASCII.lower(b) != ASCII.lower(other[j]) { return false }
            j = other.index(after: j)
        }
        return true
    }

    /// The bytes as a Swift string (UTF-8, invalid sequences repaired).
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Compares token bytes with a lowercase literal of letters and '-':
    /// for token characters `| 0x20` is an exact case fold.
    @inline(__always)
    func equalsLowercaseToken(_ lowercase: StaticString) -> Bool {
        let n = lowercase.utf8CodeUnitCount
        guard count == n, let p = baseAddress else { return false }
        let lit = lowercase.utf8Start
        var i = 1
        while i < n {
            if p[i] | 0x20 != lit[i] { return false }
            i += 1
        }
        return true
    }

    /// ASCII case-insensitive comparison with a lowercase literal, on raw memory.
    @inline(__always)
    func equalsLowercase(_ lowercase: StaticString) -> Bool {
        let n = lowercase.utf8CodeUnitCount
        guard count == n else { return false }
        let lit = lowercase.utf8Start
        for i in 0..<n where ASCII.lower(self[i]) != lit[i] { return false }
        return true
    }
}

extension ArraySlice where Element == UInt8 {
    /// The slice without leading and trailing linear white space (SP, HTAB, CR, LF).
    func trimmingWhitespace() -> ArraySlice<UInt8> {
        var lo = startIndex
        var hi = endIndex
        while lo < hi, ASCII.isWhitespace(self[lo]) { lo += 1 }
        while hi > lo, ASCII.isWhitespace(self[hi - 1]) { hi -= 1 }
        return self[lo..<hi]
    }

    /// Parses an unsigned decimal number, failing on overflow beyond `limit`.
    func decimalValue(limit: UInt64 = UInt64(UInt32.max)) -> UInt64? {
        withRawBytes { $0.decimalValue(limit: limit) }
    }
}
