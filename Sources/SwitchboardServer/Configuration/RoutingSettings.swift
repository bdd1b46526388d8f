import Foundation
import Routing

/// `[[carrier]]` and `[routing]`: the carriers calls can go out through,
/// how callers' numbers are normalized, and the operator's rules around the
/// rate decks. Loading reads every rate deck and compiles them, with the
/// rules, into `plan`, once per configuration snapshot.
public struct RoutingSettings: Hashable, Sendable {
    public var carriers: [CarrierSettings]
    /// `[routing.default_dial_plan]`: for callers no `[[routing.dial_plan]]` matches.
    public var defaultDialPlan: DialPlanSettings
    /// `[[routing.dial_plan]]`, first match wins.
    public var dialPlans: [DialPlanSettings]
    /// `[[routing.block]]`.
    public var blocked: [BlockedPrefix]
    public var pins: [RoutePinSettings]
    public var timeRules: [TimeRuleSettings]
    /// Seconds between OPTIONS probes of each carrier's termination hosts; 0 probes none.
    public var healthProbeInterval: Int = 30
    /// `[[did]]`: where calls from carriers go.
    public var dids: [DIDSettings] = []
    /// `[[routing.customer]]`: per-customer channel limits.
    public var customers: [CustomerSettings] = []
    /// Per carrier with a deck: the deck's path, rows and content digest, so
    /// that two settings with different deck contents compare unequal.
    public private(set) var decks: [RateDeckSummary]
    /// The compiled routing every call of the snapshot uses; a function of the values above.
    public private(set) var plan: RoutingPlan

    /// No carriers: routing is off.
    public init() {
        carriers = []
        defaultDialPlan = DialPlanSettings(name: "default", plan: .northAmerica())
        dialPlans = []
        blocked = []
        pins = []
        timeRules = []
        decks = []
        plan = RoutingPlan(
            carriers: [], table: Self.emptyTable, policy: RoutingPolicy(), defaultDialPlan: defaultDialPlan, dialPlans: [],
            pins: [], timeRules: [])
        inbound = InboundPlan(carriers: [], dids: [], customers: [])
    }

    /// Carriers' inbound sources, DIDs, caller-ID rules and customers, compiled.
    public private(set) var inbound: InboundPlan

    /// Reads `[[carrier]]` and `[routing]` from the root table, then the rate decks.
    init(reading root: inout ConfigurationSection) {
        let diagnostics = root.diagnostics
        var carriers: [CarrierSettings] = []
        var firstName: [String: ConfigurationKeyPath] = [:]
        for var table in root.tables("carrier") {
            let carrier = CarrierSettings(reading: &table)
            table.rejectUnknownKeys()
            if let first = firstName[carrier.name] {
                diagnostics.report(.duplicate("carrier name \(carrier.name)", of: first.description), at: table.path.appending("name"))
            } else if !carrier.name.isEmpty {
                firstName[carrier.name] = table.path.appending("name")
            }
            carriers.append(carrier)
        }
        self.carriers = carriers

        var section = root.section("routing")
        var defaultPlan = section.section("default_dial_plan")
        defaultDialPlan = DialPlanSettings(reading: &defaultPlan, matching: false)
        defaultPlan.rejectUnknownKeys()
        dialPlans = section.tables("dial_plan").map { table in
            var table = table
            defer { table.rejectUnknownKeys() }
            return DialPlanSettings(reading: &table, matching: true)
        }
        blocked = section.tables("block").map { table in
            var table = table
            defer { table.rejectUnknownKeys() }
            let prefix = Self.prefix(&table, "prefix")
            if prefix == nil, !table.has("prefix") { table.report(.invalid("required"), at: "prefix") }
            return BlockedPrefix(prefix: prefix ?? "", reason: table.string("reason", default: "blocked destination"))
        }
        pins = section.tables("pin").map { table in
            var table = table
            defer { table.rejectUnknownKeys() }
            return RoutePinSettings(reading: &table)
        }
        timeRules = section.tables("time_rule").map { table in
            var table = table
            defer { table.rejectUnknownKeys() }
            return TimeRuleSettings(reading: &table)
        }
        healthProbeInterval = section.integer("health_probe_interval", default: 30, range: 0...3600)
        var customerNames: [String: ConfigurationKeyPath] = [:]
        customers = section.tables("customer").map { table in
            var table = table
            defer { table.rejectUnknownKeys() }
            let customer = CustomerSettings(reading: &table)
            if let first = customerNames[customer.name] {
                diagnostics.report(.duplicate("customer name \(customer.name)", of: first.description), at: table.path.appending("name"))
            } else {
                customerNames[customer.name] = table.path.appending("name")
            }
            return customer
        }
        section.rejectUnknownKeys()
        var didNumbers: [NumberRange: ConfigurationKeyPath] = [:]
        dids = root.tables("did").map { table in
            var table = table
            defer { table.rejectUnknownKeys() }
            let did = DIDSettings(reading: &table)
            if let first = didNumbers[did.numbers] {
                diagnostics.report(.duplicate("DID \(did.numbers)", of: first.description), at: table.path.appending("number"))
            } else {
                didNumbers[did.numbers] = table.path.appending("number")
            }
            return did
        }

        let known = Set(carriers.map(\.name))
        let names = carriers.map(\.name)
        for pin in pins {
            for (name, path) in zip(pin.pin.carriers, pin.carrierPaths) where !known.contains(name) {
                diagnostics.report(.notOneOf(what: "carrier", value: name, expected: names), at: path)
            }
        }
        for rule in timeRules {
            for (name, path) in zip(rule.preferred, rule.carrierPaths) where !known.contains(name) {
                diagnostics.report(.notOneOf(what: "carrier", value: name, expected: names), at: path)
            }
        }

        var decks: [RateDeck] = []
        var summaries: [RateDeckSummary] = []
        for carrier in carriers where !carrier.rateDeck.isEmpty {
            guard let (deck, summary) = Self.readDeck(for: carrier, diagnostics: diagnostics) else { continue }
            summaries.append(summary)
            if carrier.enabled { decks.append(deck) }
        }
        self.decks = summaries

        let table: RateTable
        do {
            table = try RateTable(decks: decks)
        } catch {
            diagnostics.report(.invalid("rate decks cannot be compiled: \(error)"), at: ConfigurationKeyPath(keys: ["carrier"]))
            table = Self.emptyTable
        }
        let enabled = carriers.filter(\.enabled)
        let enabledNames = Set(enabled.map(\.name))
        let policy = RoutingPolicy(
            pins: pins.map {
                RoutePin($0.pin.match, carriers: $0.pin.carriers.filter(enabledNames.contains), exclusive: $0.pin.exclusive)
            },
            blocked: blocked,
            timeOfDay: timeRules.map { settings in
                var rule = settings.rule
                if case .prefer(let names) = rule.action { rule.action = .prefer(names.filter(enabledNames.contains)) }
                return rule
            },
            weights: Dictionary(enabled.map { ($0.name, $0.weight) }, uniquingKeysWith: { first, _ in first }))
        plan = RoutingPlan(
            carriers: enabled, table: table, policy: policy, defaultDialPlan: defaultDialPlan, dialPlans: dialPlans,
            pins: pins, timeRules: timeRules)
        inbound = InboundPlan(carriers: enabled, dids: dids, customers: customers)
    }

    /// Reads and parses a carrier's deck; problems are reported at the deck's
    /// line (`rates/x.csv:7: column rate: ...`) and name the key that refers to it.
    private static func readDeck(
        for carrier: CarrierSettings, diagnostics: ConfigurationDiagnostics
    ) -> (RateDeck, RateDeckSummary)? {
        let keyPath = carrier.path.appending("rate_deck")
        let path = carrier.rateDeck
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            diagnostics.report(.invalid("cannot read \(path): \(String(cString: strerror(Self.errno(of: error))))"), at: keyPath)
            return nil
        }
        let parsed = data.withUnsafeBytes { bytes -> Result<(RateDeck, UInt64), RateDeckError>? in
            guard Self.isUTF8(bytes) else { return nil }
            return Result { () throws(RateDeckError) in
                (try RateDeck(carrier: carrier.name, csv: bytes), Self.digest(bytes))
            }
        }
        switch parsed {
        case nil:
            diagnostics.report(.invalid("\(path) is not UTF-8 text"), at: keyPath)
            return nil
        case .success(let (deck, digest)):
            return (deck, RateDeckSummary(carrier: carrier.name, path: path, rows: deck.count, digest: digest))
        case .failure(let error):
            var reason = error.reason
            if let column = error.columnName {
                reason = "column \(column): " + reason
            } else if let column = error.column {
                reason = "column \(column): " + reason
            }
            let position = diagnostics.locator?.position(of: keyPath)
            let referrer = "\(diagnostics.file)\(position.map { ":\($0.line)" } ?? ""): \(keyPath)"
            diagnostics.report(
                ConfigurationError(file: path, line: error.line, problem: .invalid("\(reason) (rate deck of \(referrer))")))
            return nil
        }
    }

    /// Whether `bytes` are UTF-8: ASCII eight bytes at a time, the rest by the standard library's validation.
    static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let words = bytes.count / 8
        while i < words {
            if bytes.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { break }
            i += 1
        }
        let rest = UnsafeBufferPointer(rebasing: bytes.assumingMemoryBound(to: UInt8.self)[(i * 8)...])
        return rest.allSatisfy({ $0 < 0x80 }) || String(validating: rest, as: UTF8.self) != nil
    }

    /// The POSIX error behind a failed read, ENOENT when unknown.
    private static func errno(of error: any Error) -> Int32 {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return Int32(underlying.code)
        }
        if nsError.domain == NSPOSIXErrorDomain { return Int32(nsError.code) }
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoPermissionError { return EACCES }
        return ENOENT
    }

    /// FNV-1a over the deck's bytes: tells two deck contents apart for equality, not for security.
    static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return hash
    }

    /// Destination digits, E.164 without `+` (a leading `+` is dropped); nil and reported if not 1 to 15 digits.
    static func prefix(_ section: inout ConfigurationSection, _ key: String) -> String? {
        var text = Substring(section.string(key, default: ""))
        guard section.has(key) else { return nil }
        if text.hasPrefix("+") { text = text.dropFirst() }
        guard (1...E164Number.maximumDigits).contains(text.count), text.allSatisfy(\.isASCIIDigit) else {
            section.report(.invalid("a prefix is 1 to 15 digits, E.164 without \"+\" (got \"\(text)\")"), at: key)
            return nil
        }
        return String(text)
    }

    private static let emptyTable: RateTable = {
        do { return try RateTable(decks: []) } catch { preconditionFailure("an empty rate table always compiles: \(error)") }
    }()

    /// Equal when every setting and every deck's contents are: `plan` follows from them.
    public static func == (a: RoutingSettings, b: RoutingSettings) -> Bool {
        a.carriers == b.carriers && a.defaultDialPlan == b.defaultDialPlan && a.dialPlans == b.dialPlans
            && a.blocked == b.blocked && a.pins == b.pins && a.timeRules == b.timeRules && a.decks == b.decks
            && a.healthProbeInterval == b.healthProbeInterval && a.dids == b.dids && a.customers == b.customers
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(carriers)
        hasher.combine(defaultDialPlan)
        hasher.combine(dialPlans)
        hasher.combine(blocked)
        hasher.combine(pins)
        hasher.combine(timeRules)
        hasher.combine(decks)
        hasher.combine(dids)
        hasher.combine(customers)
    }
}

/// What was loaded from one rate deck file.
public struct RateDeckSummary: Hashable, Sendable {
    public var carrier: String
    public var path: String
    public var rows: Int
    /// FNV-1a of the file's bytes.
    public var digest: UInt64
}
