/// One Reason value (RFC 3326): `protocol *(SEMI reason-params)`, e.g.
/// `Q.850;cause=16;text="Terminated"`.
public struct ReasonValue: Sendable, Hashable {
    public let protocolName: String
    let rawParameters: ArraySlice<UInt8>

    public var parameters: HeaderParameters { HeaderParameters(rawParameters) }
    public var cause: Int? { parameters["cause"].flatMap { Int($0) } }
    public var text: String? { parameters["text"] }

    public init(parsing raw: ArraySlice<UInt8>) throws(SIPParseError) {
        var i = raw.startIndex
        while i < raw.endIndex, ASCII.is(raw[i], .token) { i += 1 }
        guard i > raw.startIndex else { throw .malformed(.reason, "missing protocol") }
        protocolName = raw[raw.startIndex..<i].utf8String
        rawParameters = raw[i...]
        try HeaderParameters.scan(rawParameters, header: .reason) { _ in }
    }
}

/// Retry-After = delta-seconds [ comment ] *( SEMI retry-param ) (RFC 3261 20.33).
public struct RetryAfter: Sendable, Hashable {
    public let seconds: UInt32
    public let comment: String?
    let rawParameters: ArraySlice<UInt8>

    public var parameters: HeaderParameters { HeaderParameters(rawParameters) }
    /// The `duration` parameter in seconds.
    public var duration: UInt32? { parameters["duration"].flatMap { UInt32($0) } }

    public init(parsing raw: ArraySlice<UInt8>) throws(SIPParseError) {
        var i = raw.startIndex
        let end = raw.endIndex
        while i < end, raw[i] &- 0x30 < 10 { i += 1 }
        guard let s = raw[raw.startIndex..<i].decimalValue() else { throw .malformed(.retryAfter, "invalid delta-seconds") }
        seconds = UInt32(s)
        while i < end, ASCII.isWhitespace(raw[i]) { i += 1 }
        if i < end, raw[i] == 0x28 {
            // comment = LPAREN *(ctext / quoted-pair / comment) RPAREN
            var depth = 0
            let cs = i
            repeat {
                if raw[i] == 0x28 { depth += 1 } else if raw[i] == 0x29 { depth -= 1 } else if raw[i] == ASCII.backslash { i += 1 }
                i += 1
            } while i < end && depth > 0
            guard depth == 0 else { throw .malformed(.retryAfter, "unterminated comment") }
            comment = raw[(cs + 1)..<(i - 1)].utf8String
        } else {
            comment = nil
        }
        rawParameters = raw[i...]
        try HeaderParameters.scan(rawParameters, header: .retryAfter) { (p) throws(SIPParseError) in
            if p.name.equalsLowercase("duration"), p.value?.decimalValue() == nil {
                throw .malformed(.retryAfter, "invalid duration")
            }
        }
    }
}

/// Date = rfc1123-date with GMT only (RFC 3261 20.17), e.g. `Sat, 13 Nov 2010 23:29:00 GMT`.
public struct SIPDate: Sendable, Hashable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int

    static let weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public init(parsing raw: ArraySlice<UInt8>) throws(SIPParseError) {
        let text = raw.utf8String
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        func fail(_ why: String) -> SIPParseError { .malformed(.date, why) }
        guard parts.count == 6, parts[0].count == 4, parts[0].hasSuffix(","),
            Self.weekdays.contains(String(parts[0].dropLast()))
        else { throw fail("not an RFC 1123 date") }
        guard parts[5] == "GMT" else { throw fail("time zone must be GMT") }
        guard parts[1].count == 2, let d = Int(parts[1]), (1...31).contains(d),
            let m = Self.months.firstIndex(of: String(parts[2])), parts[3].count == 4, let y = Int(parts[3])
        else { throw fail("invalid date") }
        let hms = parts[4].split(separator: ":", omittingEmptySubsequences: false)
        guard hms.count == 3, hms.allSatisfy({ $0.count == 2 }), let h = Int(hms[0]), let mi = Int(hms[1]),
            let s = Int(hms[2]), h < 24, mi < 60, s < 61
        else { throw fail("invalid time") }
        year = y
        month = m + 1
        day = d
        hour = h
        minute = mi
        second = s
    }
}
