import Routing

/// Wall-clock times as call record exports write and read them: ISO 8601 in
/// UTC (`2025-03-01T14:05:09.250Z`), or a duration back from now (`24h`).
public enum CDRTimestamp {
    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, to the nearest millisecond.
    public static func format(_ seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded())
        let (days, msOfDay) = floorDivide(millis, 86_400_000)
        // A clock reading is always within years 1-9999.
        let date = CalendarDate(daysSinceEpoch: days) ?? CalendarDate(year: 1970, month: 1, day: 1)!
        let (year, month, day) = (date.year, date.month, date.day)
        let s = msOfDay / 1000
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(s / 3600, 2)):\(pad(s / 60 % 60, 2)):\(pad(s % 60, 2))"
            + ".\(pad(msOfDay % 1000, 3))Z"
    }

    /// Reads a time bound: a duration before `now` (`90s`, `15m`, `24h`, `7d`,
    /// `2w`, or sums such as `1h30m`), an ISO 8601 date (`2025-03-01`, midnight
    /// UTC) or date and time (`2025-03-01T14:05:09Z`, optional fraction,
    /// `Z` or `±HH:MM`, UTC when no zone is given). Nil when it is neither.
    public static func parse(_ text: String, now: Double) -> Double? {
        if let duration = duration(text) { return now - duration }
        return iso8601(text)
    }

    /// Seconds in a duration such as `1h30m`; nil if `text` is not one.
    static func duration(_ text: String) -> Double? {
        var total: Int64 = 0
        var number: Int64?
        for c in text.utf8 {
            if c >= 0x30 && c <= 0x39 {
                let (m, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(c - 0x30))
                guard !o1, !o2, a < 1 << 40 else { return nil }
                number = a
                continue
            }
            let unit: Int64
            switch c {
            case UInt8(ascii: "s"): unit = 1
            case UInt8(ascii: "m"): unit = 60
            case UInt8(ascii: "h"): unit = 3600
            case UInt8(ascii: "d"): unit = 86_400
            case UInt8(ascii: "w"): unit = 604_800
            default: return nil
            }
            guard let n = number else { return nil }
            total += n * unit
            number = nil
        }
        guard number == nil, !text.isEmpty else { return nil }
        return Double(total)
    }

    /// Seconds since the epoch of an ISO 8601 date or date-time; nil if malformed.
    static func iso8601(_ text: String) -> Double? {
        let u = Array(text.utf8)
        func digits(_ start: Int, _ count: Int) -> Int? {
            guard start + count <= u.count else { return nil }
            var v = 0
            for b in u[start..<start + count] {
                guard b >= 0x30, b <= 0x39 else { return nil }
                v = v * 10 + Int(b - 0x30)
            }
            return v
        }
        guard u.count >= 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
            let year = digits(0, 4), let month = digits(5, 2), let day = digits(8, 2),
            let date = CalendarDate(year: year, month: month, day: day)
        else { return nil }
        var seconds = Double(date.daysSinceEpoch * 86_400)
        if u.count == 10 { return seconds }
        guard u[10] == UInt8(ascii: "T") || u[10] == UInt8(ascii: " "), let hour = digits(11, 2), u.count > 13,
            u[13] == UInt8(ascii: ":"), let minute = digits(14, 2), hour < 24, minute < 60
        else { return nil }
        seconds += Double(hour * 3600 + minute * 60)
        var i = 16
        if i < u.count, u[i] == UInt8(ascii: ":") {
            guard let second = digits(i + 1, 2), second < 61 else { return nil }
            seconds += Double(second)
            i += 3
            if i < u.count, u[i] == UInt8(ascii: ".") || u[i] == UInt8(ascii: ",") {
                var scale = 0.1
                i += 1
                let start = i
                while i < u.count, u[i] >= 0x30, u[i] <= 0x39 {
                    seconds += Double(u[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
                guard i > start else { return nil }
            }
        }
        if i == u.count { return seconds }
        if u[i] == UInt8(ascii: "Z") || u[i] == UInt8(ascii: "z") { return i + 1 == u.count ? seconds : nil }
        guard u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), let oh = digits(i + 1, 2), oh < 24 else { return nil }
        var om = 0
        var end = i + 3
        if end < u.count {
            if u[end] == UInt8(ascii: ":") { end += 1 }
            guard let m = digits(end, 2), m < 60 else { return nil }
            om = m
            end += 2
        }
        guard end == u.count else { return nil }
        let offset = Double(oh * 3600 + om * 60)
        return u[i] == UInt8(ascii: "+") ? seconds - offset : seconds + offset
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a >= 0 ? a / b : (a - b + 1) / b
        return (q, a - q * b)
    }

    private static func pad<I: BinaryInteger>(_ value: I, _ width: Int) -> String {
        let s = String(value)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
