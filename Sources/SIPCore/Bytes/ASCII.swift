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

    /// A set of ASCII characters: one bit of ``table`` per class, so that
    /// classification is one load and a test, without branches.
    struct Class {
        let bit: UInt32
        /// `token` characters (RFC 3261 25.1).
        static let token = Class(bit: 1 << 0)
        static let digit = Class(bit: 1 << 1)
        static let alpha = Class(bit: 1 << 2)
        static let hex = Class(bit: 1 << 3)
        /// `unreserved` = alphanum / mark.
        static let unreserved = Class(bit: 1 << 4)
        /// `user-unreserved` of RFC 3261 (allowed unescaped in the user part besides unreserved).
        static let userExtra = Class(bit: 1 << 5)
        /// `param-unreserved` (allowed in URI parameters besides unreserved).
        static let paramExtra = Class(bit: 1 << 6)
        /// `hnv-unreserved` (allowed in URI headers besides unreserved).
        static let headerExtra = Class(bit: 1 << 7)
        /// Characters allowed in `password` besides unreserved.
        static let passwordExtra = Class(bit: 1 << 8)
        /// Characters of a `word` (Call-ID) besides alphanum.
        static let word = Class(bit: 1 << 9)
        /// Linear white space: SP, HTAB, CR, LF (folding is white space).
        static let whitespace = Class(bit: 1 << 10)
        /// Characters allowed in an absolute URI (RFC 3986 without SP, <, >, ").
        static let uric = Class(bit: 1 << 11)
        /// Host name characters: alphanum, '-', '.'.
        static let hostname = Class(bit: 1 << 12)
        /// Characters of a URI user part other than escapes: unreserved / user-unreserved.
        static let userChar = Class(bit: 1 << 13)
        /// Characters of a URI password other than escapes.
        static let passwordChar = Class(bit: 1 << 14)
        /// Characters of a URI parameter name or value other than escapes: unreserved / param-unreserved.
        static let paramChar = Class(bit: 1 << 15)
        /// Characters of a URI header name or value other than escapes: unreserved / hnv-unreserved.
        static let headerChar = Class(bit: 1 << 16)
        /// Characters of a host name or IPv4 address (and '_', seen in the wild).
        static let hostChar = Class(bit: 1 << 17)
        /// `scheme` characters after the first: ALPHA / DIGIT / "+" / "-" / "." (RFC 3986 3.1).
        static let schemeChar = Class(bit: 1 << 18)
        /// Unquoted header parameter values: token, and ':', '[', ']', '/', '@' of hosts and addresses.
        static let parameterValue = Class(bit: 1 << 19)
        /// Quoted-string content that needs no attention: every byte but '"' and '\\'.
        static let quotedText = Class(bit: 1 << 20)
    }

    @inline(__always)
    static func `is`(_ byte: UInt8, _ c: Class) -> Bool {
        // 256 entries: every byte value is in range.
        table.withUnsafeBufferPointer { $0[Int(byte)] } & c.bit != 0
    }

    /// Class bits for every byte value (bytes from 0x80 up are only
    /// `quotedText`), generated from RFC 3261 section 25.1's character sets.
    static let table: [UInt32] = [
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100400, 0x100400, 0x100000, 0x100000, 0x100400, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100400, 0x19EA11, 0x000200, 0x100800, 0x11E9E0, 0x180A01, 0x10E960, 0x19EA11,
        0x11EA10, 0x11EA10, 0x19EA11, 0x1DEBE1, 0x106920, 0x1FFA11, 0x1FFA11, 0x19AAE0,
        0x1FFA1B, 0x1FFA1B, 0x1FFA1B, 0x1FFA1B, 0x1FFA1B, 0x1FFA1B, 0x1FFA1B, 0x1FFA1B,
        0x1FFA1B, 0x1FFA1B, 0x198AC0, 0x102820, 0x100200, 0x106920, 0x100200, 0x112AA0,
        0x180800, 0x1FFA1D, 0x1FFA1D, 0x1FFA1D, 0x1FFA1D, 0x1FFA1D, 0x1FFA1D, 0x1FFA15,
        0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15,
        0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15,
        0x1FFA15, 0x1FFA15, 0x1FFA15, 0x198AC0, 0x000A00, 0x198AC0, 0x100800, 0x1BEA11,
        0x180A01, 0x1FFA1D, 0x1FFA1D, 0x1FFA1D, 0x1FFA1D, 0x1FFA1D, 0x1FFA1D, 0x1FFA15,
        0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15,
        0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15, 0x1FFA15,
        0x1FFA15, 0x1FFA15, 0x1FFA15, 0x100A00, 0x100800, 0x100A00, 0x19EA11, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
        0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000, 0x100000,
    ]

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
        `is`(b, .whitespace)
    }
}

extension Collection where Element == UInt8 {
    /// ASCII case-insensitive comparison with a lowercase literal (header
    /// and parameter names, which are tokens).
    @inlinable
    public func equalsLowercase(_ lowercase: StaticString) -> Bool {
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
    /// Compares bytes from the second on with a lowercase literal of letters
    /// and '-' (the caller has matched the first). `| 0x20` folds case
    /// exactly for these, except that it also turns CR into '-': CR is
    /// refused, so a match means the bytes are the literal's token.
    @inline(__always)
    func equalsLowercaseToken(_ lowercase: StaticString) -> Bool {
        let n = lowercase.utf8CodeUnitCount
        guard count == n, let p = baseAddress else { return false }
        let lit = lowercase.utf8Start
        var i = 1
        while i < n {
            let c = p[i]
            if c | 0x20 != lit[i] || c == ASCII.cr { return false }
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
