/// Wall-clock time, seconds since 1970-01-01T00:00:00Z, passed in by the caller:
/// effective dates and time-of-day rules are decided on it.
public struct UnixTime: Sendable, Hashable, Comparable {
    public var seconds: Int64

    public init(seconds: Int64) { self.seconds = seconds }

    /// Days since 1970-01-01 in UTC, shifted by `utcOffsetMinutes`.
    public func day(utcOffsetMinutes: Int = 0) -> Int64 {
        let local = seconds + Int64(utcOffsetMinutes) * 60
        return local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
    }

    /// Seconds since local midnight at `utcOffsetMinutes`.
    public func secondOfDay(utcOffsetMinutes: Int = 0) -> Int {
        let local = seconds + Int64(utcOffsetMinutes) * 60
        return Int(local - day(utcOffsetMinutes: utcOffsetMinutes) * 86_400)
    }

    /// The weekday at `utcOffsetMinutes` (1970-01-01 was a Thursday).
    public func weekday(utcOffsetMinutes: Int = 0) -> Weekday {
        let d = day(utcOffsetMinutes: utcOffsetMinutes)
        return Weekday(rawValue: Int(((d + 4) % 7 + 7) % 7))!
    }

    public static func < (a: UnixTime, b: UnixTime) -> Bool { a.seconds < b.seconds }
}

/// A day of the week, Sunday = 0 as in ISO C `tm_wday`.
public enum Weekday: Int, Sendable, Hashable, CaseIterable {
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday

    /// Monday to Friday.
    public static let workdays: Set<Weekday> = [.monday, .tuesday, .wednesday, .thursday, .friday]
    /// Saturday and Sunday.
    public static let weekend: Set<Weekday> = [.saturday, .sunday]
}
