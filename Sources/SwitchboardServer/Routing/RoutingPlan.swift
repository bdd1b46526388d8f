import Foundation
import Registrar
import Routing
import SIPCore

/// Least-cost routing as one configuration snapshot compiled it: the
/// carriers, the rate table built from their decks, the dial plans and the
/// operator's rules. The call core asks it, per call, where a dialled
/// number goes; nothing here reads a file, a clock or a random source.
public struct RoutingPlan: Sendable {
    /// A `[[routing.dial_plan]]` with its matchers compiled.
    struct SourceDialPlan: Sendable {
        var settings: DialPlanSettings
        var sources: TrustedSources
    }

    /// Enabled carriers, by name.
    public let carriers: [String: CarrierProfile]
    public let router: LeastCostRouter
    public let defaultDialPlan: DialPlanSettings
    let dialPlans: [SourceDialPlan]
    let pins: [RoutePinSettings]
    let timeRules: [TimeRuleSettings]
    let weights: [String: CarrierWeight]

    init(
        carriers: [CarrierSettings], table: RateTable, policy: RoutingPolicy, defaultDialPlan: DialPlanSettings,
        dialPlans: [DialPlanSettings], pins: [RoutePinSettings], timeRules: [TimeRuleSettings]
    ) {
        self.carriers = Dictionary(carriers.map { ($0.name, $0.profile) }, uniquingKeysWith: { first, _ in first })
        router = LeastCostRouter(table: table, policy: policy)
        self.defaultDialPlan = defaultDialPlan
        self.dialPlans = dialPlans.map { SourceDialPlan(settings: $0, sources: (try? TrustedSources(parsing: $0.sources)) ?? TrustedSources.none) }
        self.pins = pins
        self.timeRules = timeRules
        weights = policy.weights
    }

    /// A wall-clock moment as routing decides on it (effective dates, time rules).
    public static func time(_ date: Date) -> UnixTime {
        UnixTime(seconds: Int64(date.timeIntervalSince1970.rounded(.down)))
    }

    /// Whether any carrier is configured and enabled.
    public var isEnabled: Bool { !carriers.isEmpty }

    /// The rate table every lookup of this snapshot uses (built once, at load).
    public var rateTable: RateTable { router.table }

    /// The dial plan of `source`: the first `[[routing.dial_plan]]` whose
    /// sources contain its address or whose users match its user, else the default.
    public func dialPlan(for source: CallSource) -> DialPlanSettings {
        for candidate in dialPlans {
            if let address = source.address, candidate.sources.contains(address) { return candidate.settings }
            if let user = source.user, candidate.settings.users.contains(where: { Self.user(user, matches: $0) }) {
                return candidate.settings
            }
        }
        return defaultDialPlan
    }

    static func user(_ user: String, matches pattern: String) -> Bool {
        pattern.hasSuffix("*") ? user.hasPrefix(pattern.dropLast()) : user == pattern
    }

    /// `dialled` as E.164, by the dial plan of `source`.
    public func normalize(_ dialled: String, from source: CallSource) throws(RoutingRejection) -> (E164Number, dialPlan: String) {
        let plan = dialPlan(for: source)
        let number: DialledNumber
        do {
            number = try plan.plan.normalize(dialled)
        } catch {
            throw .number(error, dialPlan: plan.name)
        }
        return try Self.e164(number, plan: plan)
    }

    /// The number a Request-URI carries (`tel:`, or the user part of a
    /// `sip:` URI) as E.164, by the dial plan of `source`.
    public func normalize(uri: SIPURI, from source: CallSource) throws(RoutingRejection) -> (E164Number, dialPlan: String) {
        let plan = dialPlan(for: source)
        let number: DialledNumber
        do {
            number = try plan.plan.normalize(uri: uri)
        } catch {
            throw .number(error, dialPlan: plan.name)
        }
        return try Self.e164(number, plan: plan)
    }

    private static func e164(_ number: DialledNumber, plan: DialPlanSettings) throws(RoutingRejection) -> (E164Number, dialPlan: String) {
        switch number {
        case .e164(let number): return (number, plan.name)
        case .serviceCode(let code): throw .serviceCode(code, dialPlan: plan.name)
        }
    }

    /// The carriers to try for `dialled` from `source` at `time`, first choice
    /// first, or why there are none. `random` orders carriers of equal cost
    /// and preference by weight: pass a fresh value per call.
    public func route(
        _ dialled: String, from source: CallSource, at time: UnixTime, random: UInt64
    ) throws(RoutingRejection) -> RoutingDecision {
        guard isEnabled else { throw .notConfigured }
        let (number, planName) = try normalize(dialled, from: source)
        return try route(number, dialled: dialled, dialPlan: planName, at: time, random: random)
    }

    /// `route(_:from:at:random:)` for the number a Request-URI carries.
    public func route(
        uri: SIPURI, from source: CallSource, at time: UnixTime, random: UInt64
    ) throws(RoutingRejection) -> RoutingDecision {
        guard isEnabled else { throw .notConfigured }
        let (number, planName) = try normalize(uri: uri, from: source)
        return try route(number, dialled: uri.user ?? uri.description, dialPlan: planName, at: time, random: random)
    }

    /// The carriers for an E.164 number.
    public func route(
        _ number: E164Number, dialled: String, dialPlan planName: String, at time: UnixTime, random: UInt64
    ) throws(RoutingRejection) -> RoutingDecision {
        guard isEnabled else { throw .notConfigured }
        let candidates: [RouteCandidate]
        do {
            candidates = try router.route(number, at: time, random: random)
        } catch {
            throw .route(error)
        }
        guard !candidates.isEmpty else { throw .route(.noRoute(number)) }
        let pin = pins.filter { $0.pin.matches(number) }.reduce(nil as RoutePinSettings?) { best, next in
            guard let best else { return next }
            return next.specificity > best.specificity ? next : best
        }
        let rules = timeRules.filter { $0.rule.applies(to: number, at: time) }
        return RoutingDecision(
            dialled: dialled, number: number, dialPlan: planName,
            candidates: candidates.compactMap { candidate in
                guard let profile = carriers[candidate.carrier] else { return nil }
                let reason: RoutingDecision.Candidate.Reason
                switch candidate.selection {
                case .pinned:
                    reason = .pin(pin?.key ?? "routing.pin", exclusive: pin?.pin.exclusive ?? false)
                case .timeOfDay:
                    reason = .timeRule(rules.first { $0.preferred.contains(candidate.carrier) }?.key ?? "routing.time_rule")
                case .cost:
                    reason = costReason(candidate, among: candidates)
                }
                let formatted = number.formatted(profile.numberFormat)
                return RoutingDecision.Candidate(
                    carrier: profile, rate: candidate.rate, prefix: candidate.prefix, reason: reason,
                    formattedNumber: formatted, requestURIs: Self.requestURIs(user: formatted, profile: profile))
            })
    }

    /// `.cost`, unless another cost-ordered carrier has the same rate: then the
    /// preference or the weighted draw decided between them.
    private func costReason(_ candidate: RouteCandidate, among all: [RouteCandidate]) -> RoutingDecision.Candidate.Reason {
        let weight = weights[candidate.carrier] ?? CarrierWeight()
        let ties = all.filter { $0.selection == .cost && $0.carrier != candidate.carrier && $0.rate == candidate.rate }
        guard !ties.isEmpty else { return .cost }
        if ties.contains(where: { (weights[$0.carrier] ?? CarrierWeight()).preference == weight.preference }) {
            return .weight(weight.weight)
        }
        return .preference(weight.preference)
    }

    /// `sip:NUMBER@HOST[:PORT][;transport=tcp|tls]` for each termination host.
    static func requestURIs(user: String, profile: CarrierProfile) -> [SIPURI] {
        let parameter = profile.transport == .udp ? "" : ";transport=\(profile.transport.rawValue)"
        return [profile.primaryHost, profile.secondaryHost].compactMap { host in
            guard let host else { return nil }
            let hostText = host.host.contains(":") ? "[\(host.host)]" : host.host
            return try? SIPURI("sip:\(user)@\(hostText)\(host.port.map { ":\($0)" } ?? "")\(parameter)")
        }
    }
}

extension TrustedSources {
    /// No network.
    static var none: TrustedSources {
        do { return try TrustedSources(parsing: []) } catch { preconditionFailure("an empty source list always parses: \(error)") }
    }
}
