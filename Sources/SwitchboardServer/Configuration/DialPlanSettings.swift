import Registrar
import Routing

/// `[routing.default_dial_plan]` and each `[[routing.dial_plan]]`: how a
/// source dials, as a preset (`us`, `uk`) with any of its values overridden;
/// a `[[routing.dial_plan]]` also says which callers it is for.
public struct DialPlanSettings: Hashable, Sendable {
    /// `preset`: the plan the other keys start from.
    public enum Preset: String, CaseIterable, Hashable, Sendable {
        /// North American Numbering Plan: +1, trunk prefix 1, 011, 10 digits, 911 and 933.
        case us
        /// United Kingdom: +44, trunk prefix 0, 00, 9 or 10 digits, 999 and 112.
        case uk

        func plan() -> DialPlan {
            switch self {
            case .us: .northAmerica()
            case .uk: .unitedKingdom()
            }
        }
    }

    /// Shown by `switchboard route` and in logs: `name`, else the table's key path.
    public var name: String
    public var plan: DialPlan
    /// Source networks (CIDR or single addresses) the plan is for.
    public var sources: [String]
    /// From user parts the plan is for; a trailing `*` matches by prefix.
    public var users: [String]

    public init(name: String, plan: DialPlan, sources: [String] = [], users: [String] = []) {
        self.name = name
        self.plan = plan
        self.sources = sources
        self.users = users
    }

    /// Reads a plan; `matching` says whether `name`, `sources` and `users` are keys of this table.
    init(reading section: inout ConfigurationSection, matching: Bool) {
        name = matching ? section.string("name", default: section.path.description) : "default"
        let preset = section.choice("preset", default: Preset.us, what: "dial plan preset")
        var plan = preset.plan()
        plan.countryCode = Self.digits(&section, "country_code", default: plan.countryCode, count: 1...3)
        plan.nationalPrefix = Self.digits(&section, "national_prefix", default: plan.nationalPrefix, count: 0...4)
        var international: [String] = []
        for (text, path) in section.strings("international_prefixes", default: plan.internationalPrefixes) {
            if text.isEmpty || text.count > 5 || !text.allSatisfy(\.isASCIIDigit) {
                section.diagnostics.report(.invalid("an international prefix is 1 to 5 digits (got \"\(text)\")"), at: path)
            } else {
                international.append(text)
            }
        }
        plan.internationalPrefixes = international
        let minimum = section.integer("min_national_length", default: plan.nationalNumberLengths.lowerBound, range: 1...14)
        let maximum = section.integer("max_national_length", default: plan.nationalNumberLengths.upperBound, range: 1...14)
        if minimum > maximum {
            section.report(.invalid("smaller than min_national_length (\(minimum))"), at: "max_national_length")
        }
        plan.nationalNumberLengths = minimum...max(minimum, maximum)
        let access = Self.digits(&section, "access_prefix", default: "", count: 0...4)
        plan.accessPrefix = access.isEmpty ? nil : access
        var codes: Set<String> = []
        for (text, path) in section.strings("service_codes", default: plan.serviceCodes.sorted()) {
            if text.isEmpty || text.count > 6 || !text.allSatisfy(\.isASCIIDigit) {
                section.diagnostics.report(.invalid("a service code is 1 to 6 digits (got \"\(text)\")"), at: path)
            } else {
                codes.insert(text)
            }
        }
        plan.serviceCodes = codes
        self.plan = plan

        guard matching else {
            sources = []
            users = []
            return
        }
        sources = section.networks("sources")
        users = section.userPatterns("users", noun: "a user part")
        if sources.isEmpty && users.isEmpty && !section.has("sources") && !section.has("users") {
            section.diagnostics.report(
                .invalid("give sources = [...] and/or users = [...]: the callers this plan is for"), at: section.path)
        }
    }

    /// A string of digits whose length is in `count`.
    private static func digits(
        _ section: inout ConfigurationSection, _ key: String, default defaultValue: String, count: ClosedRange<Int>
    ) -> String {
        let text = section.string(key, default: defaultValue)
        guard count.contains(text.count), text.allSatisfy(\.isASCIIDigit) else {
            section.report(.invalid("expected \(count.lowerBound) to \(count.upperBound) digits (got \"\(text)\")"), at: key)
            return defaultValue
        }
        if key == "country_code", text.hasPrefix("0") {
            section.report(.invalid("a country code does not start with 0"), at: key)
        }
        return text
    }
}
