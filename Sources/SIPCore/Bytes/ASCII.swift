/// Character classes of RFC 3261 section 25.1, as one 256-entry table so that
/// every classification is a single load.
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

    struct Class: OptionSet {
        let rawValue: UInt16
        /// `token` characters (RFC 3261 25.1).
        static let token = Class(rawValue: 1 << 0)
        static let digit = Class(rawValue: 1 << 1)
        static let alpha = Class(rawValue: 1 << 2)
        static let hex = Class(rawValue: 1 << 3)
        /// `unreserved` = alphanum / mark.
        static let unreserved = Class(rawValue: 1 << 4)
        /// `user-unreserved` of RFC 3261 (allowed unescaped in the user part besides unreserved).
        static let userExtra = Class(rawValue: 1 << 5)
        /// `param-unreserved` (allowed in URI parameters besides unreserved).
        static let paramExtra = Class(rawValue: 1 << 6)
        /// `hnv-unreserved` (allowed in URI headers besides unreserved).
        static let headerExtra = Class(rawValue: 1 << 7)
        /// Characters allowed in `password` besides unreserved.
        static let passwordExtra = Class(rawValue: 1 << 8)
        /// Characters of a `word` (Call-ID) besides alphanum.
        static let word = Class(rawValue: 1 << 9)
        /// Linear white space: SP, HTAB, CR, LF (folding is whitespace).
        static let whitespace = Class(rawValue: 1 << 10)
        /// Characters allowed in an absolute URI's opaque part (RFC 3986 without SP, <, >, ").
        static let uric = Class(rawValue: 1 << 11)
        /// Host name characters: alphanum, '-', '.'.
        static let hostname = Class(rawValue: 1 << 12)
    }

    static let table: [UInt16] = {
        var t = [UInt16](repeating: 0, count: 256)
        func add(_ chars: String, _ c: Class) {
            for b in chars.utf8 { t[Int(b)] |= c.rawValue }
        }
        let lower = "abcdefghijklmnopqrstuvwxyz"
        let upper = lower.uppercased()
        let digits = "0123456789"
        let alnum = lower + upper + digits
        add(digits, .digit)
        add(lower + upper, .alpha)
        add(digits + "abcdefABCDEF", .hex)
        add(alnum + "-.!%*_+`'~", .token)
        add(alnum + "-_.!~*'()", .unreserved)
        add("&=+$,;?/", .userExtra)
        add("[]/:&+$", .paramExtra)
        add("[]/?:+$", .headerExtra)
        add("&=+$,", .passwordExtra)
        add(alnum + "-.!%*_+`'~()<>:\\\"/[]?{}", .word)
        add(" \t\r\n", .whitespace)
        add(alnum + "-_.!~*'();/?:@&=+$,%#[]|{}^`\\", .uric)
        add(alnum + "-.", .hostname)
        return t
    }()

    @inline(__always)
    static func `is`(_ byte: UInt8, _ c: Class) -> Bool {
        table[Int(byte)] & c.rawValue != 0
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
        guard !isEmpty else { return nil }
        var v: UInt64 = 0
        for b in self {
            let d = b &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 || s > limit { return nil }
            v = s
        }
        return v
    }

    func firstIndex(of byte: UInt8, from: Int) -> Int? {
        var i = from
        while i < endIndex {
            if self[i] == byte { return i }
            i += 1
        }
        return nil
    }
}
