import Routing

/// One `[[routing.time_rule]]`: on some weekdays between two local hours,
/// prefer some carriers for a prefix, or refuse calls to it.
public struct TimeRuleSettings: Hashable, Sendable {
    public var rule: TimeOfDayRule
    /// `routing.time_rule[0]`: how `switchboard route` names the rule that placed a carrier.
    public var key: String
    let carrierPaths: [ConfigurationKeyPath]

    static let dayNames: [(String, Weekday)] = [
        ("mon", .monday), ("tue", .tuesday), ("wed", .wednesday), ("thu", .thursday), ("fri", .friday),
        ("sat", .saturday), ("sun", .sunday),
    ]

    init(reading section: inout ConfigurationSection) {
        key = section.path.description
        let prefix = section.has("prefix") ? RoutingSettings.prefix(&section, "prefix") ?? "" : ""
        var days: Set<Weekday> = []
        for (text, path) in section.strings("days", default: Self.dayNames.map(\.0)) {
            guard let day = Self.dayNames.first(where: { $0.0 == text.lowercased() })?.1 else {
                section.diagnostics.report(
                    .notOneOf(what: "day", value: text, expected: Self.dayNames.map(\.0)), at: path)
                continue
            }
            days.insert(day)
        }
        if section.has("days"), days.isEmpty { section.report(.invalid("at least one day is needed"), at: "days") }
        let start = section.integer("start_hour", default: 0, range: 0...23)
        let end = section.integer("end_hour", default: 24, range: 1...24)
        let offset = section.integer("utc_offset_minutes", default: 0, range: -720...840)
        let prefer = section.strings("prefer", default: [])
        let hasBlock = section.has("block")
        let block = section.string("block", default: "")
        let action: TimeOfDayRule.Action
        if hasBlock == !prefer.isEmpty || (!hasBlock && !section.has("prefer")) {
            section.diagnostics.report(
                .invalid("give either prefer = [\"CARRIER\", ...] or block = \"REASON\""), at: section.path)
            action = .prefer([])
        } else if hasBlock {
            action = .block(reason: block.isEmpty ? "time rule \(key)" : block)
        } else {
            action = .prefer(prefer.map(\.value))
        }
        carrierPaths = prefer.map(\.path)
        rule = TimeOfDayRule(
            prefix: prefix, weekdays: days.isEmpty ? Set(Weekday.allCases) : days, startHour: start, endHour: end,
            utcOffsetMinutes: offset, action: action)
    }

    /// The carriers the rule prefers, in order.
    var preferred: [String] {
        if case .prefer(let carriers) = rule.action { return carriers }
        return []
    }
}
