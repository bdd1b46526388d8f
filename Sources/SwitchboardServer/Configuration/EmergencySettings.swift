import Routing
import Emergency
import SIPCore

/// `[emergency]`: how 911 calls are recognised, where they go (Bandwidth's
/// E911 SBCs, then a last resort), what identity and location they carry and
/// who is told. Gaps (no SBC, a location without a floor) are warnings, not
/// errors: a file with gaps still loads, because an emergency call must go
/// out whatever the configuration lacks.
public struct EmergencySettings: Hashable, Sendable {
    /// The country presets of `[emergency] country`.
    public enum Country: String, CaseIterable, Hashable, Sendable {
        case us, ca, gb, de, au

        /// The preset number plan: emergency and test numbers, access and trunk prefixes.
        public var numberPlan: EmergencyNumberPlan {
            switch self {
            case .us: return .unitedStates
            case .ca: return .canada
            case .gb: return .unitedKingdom
            case .de: return .germany
            case .au: return .australia
            }
        }
    }

    /// The preset the number plan starts from.
    public var country: Country
    /// The preset plus `emergency_numbers`, `test_numbers` and `access_prefixes`.
    public var numberPlan: EmergencyNumberPlan
    /// `[emergency.primary]` and `[emergency.secondary]`: Bandwidth's two E911 SBCs.
    public var primary: EmergencySBC?
    public var secondary: EmergencySBC?
    /// The `[sip] listen` address emergency INVITEs leave from (the static IP
    /// Bandwidth has on file); nil: the first listen address of the SBCs' transport.
    public var source: ListenAddress?
    /// Host of the From and P-Asserted-Identity URIs; empty: the source address.
    public var identityHost: String
    /// How long an attempt may go without progress before the next target.
    public var attemptTimeout: Duration
    /// Final statuses besides 5xx that move on to the next target.
    public var failoverStatuses: Set<Int>
    /// The route after both SBCs, written as a SIP URI; never used by test calls.
    public var lastResort: EmergencyRoutePlan.LastResortRoute?
    /// The URI `last_resort` was written as, for the summary and logs.
    public var lastResortURI: String?
    public var numberForm: EmergencyCallerIdentity.NumberForm
    /// The callback number sent when the caller's location and line have no NANP number.
    public var fallbackCallbackNumber: E164Number?
    /// Whether a PIDF-LO body (RFC 6442) goes with the INVITE when a location is known.
    public var sendsLocationObject: Bool
    /// How long after an emergency call a call to its callback number goes straight to the caller.
    public var callbackWindow: Duration
    /// Front desks told by SIP MESSAGE (RFC 3428) when someone dials 911.
    public var notifySIP: [SIPURI]
    /// HTTP endpoints the notification JSON is POSTed to.
    public var notifyWebhooks: [EmergencyWebhook]
    /// How many emergency call records `ctl` keeps in memory.
    public var recordRingCapacity: Int
    /// `[[emergency.location]]`, in file order; `name` is the location's `id`.
    public var locations: [EmergencyLocation]
    /// `[[emergency.assign]]`, in file order.
    public var assignments: [EmergencyAssignment]
    /// The `id` of the location used when no assignment matches.
    public var defaultLocation: String?

    public init(
        country: Country = .us, numberPlan: EmergencyNumberPlan = .unitedStates, primary: EmergencySBC? = nil,
        secondary: EmergencySBC? = nil, source: ListenAddress? = nil, identityHost: String = "",
        attemptTimeout: Duration = .seconds(4), failoverStatuses: Set<Int> = [408],
        lastResort: EmergencyRoutePlan.LastResortRoute? = nil, lastResortURI: String? = nil,
        numberForm: EmergencyCallerIdentity.NumberForm = .e164, fallbackCallbackNumber: E164Number? = nil,
        sendsLocationObject: Bool = true, callbackWindow: Duration = .seconds(30 * 60), notifySIP: [SIPURI] = [],
        notifyWebhooks: [EmergencyWebhook] = [], recordRingCapacity: Int = 1000, locations: [EmergencyLocation] = [],
        assignments: [EmergencyAssignment] = [], defaultLocation: String? = nil
    ) {
        self.country = country
        self.numberPlan = numberPlan
        self.primary = primary
        self.secondary = secondary
        self.source = source
        self.identityHost = identityHost
        self.attemptTimeout = attemptTimeout
        self.failoverStatuses = failoverStatuses
        self.lastResort = lastResort
        self.lastResortURI = lastResortURI
        self.numberForm = numberForm
        self.fallbackCallbackNumber = fallbackCallbackNumber
        self.sendsLocationObject = sendsLocationObject
        self.callbackWindow = callbackWindow
        self.notifySIP = notifySIP
        self.notifyWebhooks = notifyWebhooks
        self.recordRingCapacity = recordRingCapacity
        self.locations = locations
        self.assignments = assignments
        self.defaultLocation = defaultLocation
    }

    /// Whether anything that routes or locates an emergency call is configured.
    public var isConfigured: Bool {
        primary != nil || lastResort != nil || !locations.isEmpty || !assignments.isEmpty
    }

    /// The location with `id`.
    public func location(_ id: String) -> EmergencyLocation? {
        locations.first { $0.name == id }
    }

    /// Decodes the table and reports its errors and its gaps; reads every key,
    /// then rejects the unknown ones.
    init(reading given: ConfigurationSection) {
        var section = given
        let diagnostics = section.diagnostics
        country = section.choice("country", default: .us, what: "country")
        numberPlan = Self.readNumberPlan(&section, preset: country.numberPlan)

        primary = Self.readSBC(&section, "primary")
        secondary = Self.readSBC(&section, "secondary")
        if secondary != nil, primary == nil {
            section.report(.invalid("a secondary SBC needs [emergency.primary]"), at: "secondary")
        }
        let sourceText = section.string("source", default: "")
        if sourceText.isEmpty {
            source = nil
        } else {
            do {
                source = try ListenAddress(parsing: sourceText)
            } catch {
                source = nil
                section.report(error, at: "source")
            }
        }
        identityHost = section.string("identity_host", default: "")
        if !identityHost.isEmpty, Self.sipHost(identityHost) == nil {
            section.report(.invalid("not a host name or IP address: \"\(identityHost)\""), at: "identity_host")
        }
        attemptTimeout = .seconds(section.integer("attempt_timeout", default: 4, range: 1...60))
        failoverStatuses = Set(section.integers("failover_statuses", default: [408], range: 300...699).map(\.value))

        let lastResortText = section.string("last_resort", default: "")
        if lastResortText.isEmpty {
            lastResort = nil
            lastResortURI = nil
        } else {
            do {
                lastResort = try Self.lastResortRoute(lastResortText)
                lastResortURI = lastResortText
            } catch {
                lastResort = nil
                lastResortURI = nil
                section.report(error, at: "last_resort")
            }
        }
        let form = section.string("pai_form", default: "e164")
        switch form {
        case "e164": numberForm = .e164
        case "national": numberForm = .national
        default:
            numberForm = .e164
            section.report(.notOneOf(what: "P-Asserted-Identity form", value: form, expected: ["e164", "national"]), at: "pai_form")
        }
        fallbackCallbackNumber = Self.readCallbackNumber(&section, "fallback_callback_number", requireNANP: true)
        sendsLocationObject = section.boolean("pidf_lo", default: true)
        callbackWindow = .seconds(60 * section.integer("callback_window", default: 30, range: 0...1440))

        var notifySIP: [SIPURI] = []
        for (text, path) in section.strings("notify_sip", default: []) {
            guard let uri = try? SIPURI(text), uri.scheme == .sip || uri.scheme == .sips else {
                diagnostics.report(.invalid("not a sip: or sips: URI: \"\(text)\""), at: path)
                continue
            }
            notifySIP.append(uri)
        }
        self.notifySIP = notifySIP
        var webhooks: [EmergencyWebhook] = []
        for (text, path) in section.strings("notify_webhooks", default: []) {
            do {
                webhooks.append(try EmergencyWebhook(parsing: text))
            } catch {
                diagnostics.report(error, at: path)
            }
        }
        notifyWebhooks = webhooks
        recordRingCapacity = section.integer("cdr_ring_size", default: 1000, range: 1...100_000)

        let located = Self.readLocations(&section)
        locations = located.map(\.location)
        let locationIDs = Set(locations.map(\.name))
        let defaultID = section.string("default_location", default: "")
        if defaultID.isEmpty {
            defaultLocation = nil
        } else if locationIDs.contains(defaultID) {
            defaultLocation = defaultID
        } else {
            defaultLocation = nil
            section.report(.invalid("no [[emergency.location]] has id \"\(defaultID)\""), at: "default_location")
        }
        assignments = EmergencyAssignment.readAll(&section, locationIDs: locationIDs)
        section.rejectUnknownKeys()

        reportGaps(section, located: located)
    }
}
