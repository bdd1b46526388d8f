import CallCore
import Foundation
import Routing
import SIPCore

/// Calls to telephone numbers that no static route claims go to the
/// carriers least-cost routing picks, bridged by the B2BUA (issue "B2BUA,
/// least-cost routing"): the configured `[[proxy.route]]` rules first, then
/// the rate decks. Other requests keep the static outcome.
struct TrunkRouteDecision: RouteDecision {
    let plan: RoutingPlan
    let table: RouteTable
    let relay: MediaRelaySettings.RelayMode
    /// Our host in the carrier leg's From (`sip:+14155550100@HOST`).
    let localHost: String
    /// Whether a carrier answers its OPTIONS probes: carriers that do not are tried last.
    let isUp: @Sendable (String) -> Bool
    let wallClock: @Sendable () -> Date
    /// Caller-ID rules per carrier and the customers calls are counted against.
    let inbound: InboundPlan

    init(
        plan: RoutingPlan, table: RouteTable, relay: MediaRelaySettings.RelayMode = .always, localHost: String = "invalid",
        inbound: InboundPlan = InboundPlan(carriers: [], dids: [], customers: []),
        isUp: @escaping @Sendable (String) -> Bool = { _ in true }, wallClock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.plan = plan
        self.inbound = inbound
        self.table = table
        self.relay = relay
        self.localHost = localHost
        self.isUp = isUp
        self.wallClock = wallClock
    }

    func route(_ request: SIPMessage, requestURI: SIPURI) -> RouteOutcome {
        route(request, requestURI: requestURI, source: .unknown)
    }

    func route(_ request: SIPMessage, requestURI: SIPURI, context: RouteContext) -> RouteOutcome {
        route(request, requestURI: requestURI, source: CallSource(address: context.inbound.source.ip, user: context.user))
    }

    private func route(_ request: SIPMessage, requestURI: SIPURI, source: CallSource) -> RouteOutcome {
        if let rule = table.matchingRule(for: requestURI) { return rule.outcome }
        guard plan.isEnabled, request.method == .invite, requestURI.user != nil else {
            return table.fallback
        }
        let decision: RoutingDecision
        do {
            decision = try plan.route(
                uri: requestURI, from: source, at: RoutingPlan.time(wallClock()), random: UInt64.random(in: 0...UInt64.max))
        } catch {
            return .reject(status: error.sipStatus, reason: error.reasonPhrase)
        }
        // The caller's number, in E.164 when the caller's dial plan reads it, for each carrier's format.
        let callerUser = (try? request.from().uri.user) ?? nil
        let caller = callerUser.flatMap { try? plan.normalize($0, from: source).0 }
        // The identity the caller presents: its P-Asserted-Identity when it has one, else its From.
        let asserted = request.values(named: "P-Asserted-Identity").lazy.compactMap(Self.user(ofNameAddress:)).first
        let presented = asserted.flatMap { try? plan.normalize($0, from: source).0 } ?? caller
        let privacy = PrivacyRequest(headerValue: request.values(named: "Privacy").joined(separator: ";"))
        let accounting = CallAccounting(
            callClass: .trunk, caller: caller?.description ?? callerUser ?? "", dialled: decision.dialled,
            callee: decision.number.description, source: source.user ?? source.address ?? "",
            customer: inbound.customer(for: source)?.name)
        let bridged = bridge(decision, caller: caller, presented: presented, privacy: privacy, accounting: accounting)
        // Every carrier refused the caller's number and none has a default to send instead.
        if bridged.candidates.isEmpty, !decision.candidates.isEmpty {
            return .reject(status: 403, reason: "Forbidden (caller ID not allowed)")
        }
        return .bridge(bridged)
    }

    /// The user part of a name-addr or addr-spec (`"A" <sip:+1415@h>`, `<tel:+1415>`).
    static func user(ofNameAddress value: String) -> String? {
        var text = Substring(value)
        if let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text = text[text.index(after: open)..<close]
        }
        guard let uri = try? SIPURI(String(text)) else { return nil }
        return uri.user
    }

    /// A carrier host that sends no provisional response (not even 100
    /// Trying) within this long is taken for dead and the next one is tried,
    /// long before Timer B's 32 s.
    static let provisionalTimeout: Duration = .seconds(5)

    /// The B2BUA request for a routing decision: each carrier's termination
    /// hosts in turn (primary, then secondary), with what that carrier
    /// supports, its credentials, codecs, SRTP, caller-ID format and rate.
    func bridge(
        _ decision: RoutingDecision, caller: E164Number?, presented: E164Number? = nil, privacy: PrivacyRequest = .none,
        accounting: CallAccounting
    ) -> B2BUARequest {
        var targets: [B2BUATarget] = []
        // A carrier down by its OPTIONS probes is skipped while another is up, tried last otherwise.
        let up = decision.candidates.filter { isUp($0.carrier.name) }
        let down = decision.candidates.filter { !isUp($0.carrier.name) }
        for candidate in up + down {
            let carrier = candidate.carrier
            let media = MediaPolicy(
                relay: relay == .always ? .always : relay == .nat ? .whenNAT : .never,
                allowedCodecs: carrier.codecs, srtp: carrier.requiresSRTP ? .required : .off)
            var credentials: CarrierCredentials?
            if case .digest(let username, let password, _) = carrier.authentication {
                credentials = CarrierCredentials(username: username, password: password)
            }
            var from = caller.map { "sip:\($0.formatted(carrier.numberFormat))@\(localHost)" }
            var headers: [B2BUATarget.HeaderField] = []
            var identity: IdentityPolicy?
            do {
                if let shown = try inbound.callerIdentity(
                    toward: carrier.name, presenting: presented ?? caller, privacy: privacy)
                {
                    let number = shown.number.formatted(carrier.numberFormat)
                    from = shown.anonymousFrom ? "\"Anonymous\" <\(CallerIdentity.anonymousFromURI)>" : "sip:\(number)@\(localHost)"
                    if shown.sendsAssertedIdentity {
                        headers.append(.init("P-Asserted-Identity", "<sip:\(number)@\(localHost)>"))
                    } else {
                        identity = .strip
                    }
                    if let value = shown.privacyHeader { headers.append(.init("Privacy", value)) }
                }
            } catch {
                // Not an owned number and no default caller ID: this carrier would refuse the call.
                continue
            }
            for uri in candidate.requestURIs {
                targets.append(
                    B2BUATarget(
                        target: ForwardTarget(uri: uri), supports100rel: carrier.supports(.prack),
                        supportsRefer: carrier.supports(.refer), supportsUpdate: carrier.supports(.update), media: media,
                        credentials: credentials, provisionalTimeout: Self.provisionalTimeout,
                        carrier: CarrierTag(name: carrier.name, rate: candidate.rate), extraHeaders: headers, fromURI: from,
                        identity: identity, failover: carrier.failover))
            }
        }
        // Each target carries its carrier's failover policy: the carrier that refused decides.
        return B2BUARequest(candidates: targets, accounting: accounting)
    }
}
