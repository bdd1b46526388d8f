/// A rule that holds on some weekdays between two hours in a given UTC
/// offset: prefer some carriers (cheaper night rates, a carrier's business
/// hours) or block a destination.
public struct TimeOfDayRule: Sendable, Hashable {
    public enum Action: Sendable, Hashable {
        /// These carriers, if they have a rate, go first in this order (after pins).
        case prefer([String])
        /// The call is refused while the rule holds.
        case block(reason: String)
    }

    /// E.164 digits the number must start with; empty for every number.
    public var prefix: String
    /// Weekdays in the rule's offset; the weekday of the call's local time counts.
    public var weekdays: Set<Weekday>
    /// First local hour (0-23) the rule holds.
    public var startHour: Int
    /// Local hour (1-24) from which the rule stops holding; smaller than or equal to `startHour` wraps past midnight.
    public var endHour: Int
    /// Offset from UTC of the local time the hours are in, in minutes (`-300` for UTC-5).
    public var utcOffsetMinutes: Int
    public var action: Action

    public init(
        prefix: String = "", weekdays: Set<Weekday> = Set(Weekday.allCases), startHour: Int, endHour: Int,
        utcOffsetMinutes: Int = 0, action: Action
    ) {
        self.prefix = prefix
        self.weekdays = weekdays
        self.startHour = startHour
        self.endHour = endHour
        self.utcOffsetMinutes = utcOffsetMinutes
        self.action = action
    }

    /// Whether the rule holds for a call to `number` at `time`.
    public func applies(to number: E164Number, at time: UnixTime) -> Bool {
        guard number.hasPrefix(prefix), weekdays.contains(time.weekday(utcOffsetMinutes: utcOffsetMinutes)) else {
            return false
        }
        let hour = time.secondOfDay(utcOffsetMinutes: utcOffsetMinutes) / 3600
        if startHour < endHour { return hour >= startHour && hour < endHour }
        return hour >= startHour || hour < endHour
    }
}
