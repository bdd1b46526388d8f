import CallCore
import Routing
import SIPCore

/// Calls from carriers (issue "inbound DIDs"): an INVITE whose source is in
/// a carrier's `inbound_sources` (or whose authenticated user is in its
/// `inbound_users`) goes to the `[[did]]` its number belongs to, a
/// registered user or a PBX, bridged by the B2BUA like a trunk call; a
/// number no DID holds gets 404 and is never sent back out to a carrier.
/// Other requests and other sources go to the next decision.
struct InboundRouteDecision: RouteDecision {
    let inbound: InboundPlan
    let relay: MediaRelaySettings.RelayMode
    /// `[sip] domains`: a DID target in one of them is a user with registered contacts.
    let localDomains: Set<String>
    /// The registered contacts of an AOR; nil when it has none.
    let locate: @Sendable (SIPURI) -> [[ForwardTarget]]?
    let fallback: any RouteDecision

    init(
        inbound: InboundPlan, relay: MediaRelaySettings.RelayMode = .always, localDomains: Set<String>,
        locate: @escaping @Sendable (SIPURI) -> [[ForwardTarget]]?, fallback: any RouteDecision
    ) {
        self.inbound = inbound
        self.relay = relay
        self.localDomains = Set(localDomains.map { $0.lowercased() })
        self.locate = locate
        self.fallback = fallback
    }

    func route(_ request: SIPMessage, requestURI: SIPURI) -> RouteOutcome {
        fallback.route(request, requestURI: requestURI)
    }

    func route(_ request: SIPMessage, requestURI: SIPURI, context: RouteContext) -> RouteOutcome {
        let source = CallSource(address: context.inbound.source.ip, user: context.user)
        guard request.method == .invite, let carrier = inbound.carrier(for: source) else {
            return fallback.route(request, requestURI: requestURI, context: context)
        }
        return route(request, requestURI: requestURI, carrier: carrier)
    }

    /// The outcome for an INVITE from `carrier`.
    func route(_ request: SIPMessage, requestURI: SIPURI, carrier: CarrierSettings) -> RouteOutcome {
        guard let user = requestURI.user, let number = InboundPlan.number(user, format: carrier.profile.numberFormat),
            let did = inbound.did(for: number)
        else {
            return .reject(status: 404, reason: "Not Found")
        }
        let policy = MediaPolicy(relay: relay == .always ? .always : relay == .nat ? .whenNAT : .never)
        var targets: [B2BUATarget] = []
        if localDomains.contains(did.target.host.lowercased()) {
            guard let groups = locate(did.target), !groups.isEmpty else {
                return .reject(status: 480, reason: "Temporarily Unavailable")
            }
            targets = groups.flatMap { $0 }.map { B2BUATarget(target: $0, supportsUpdate: false, media: policy) }
        } else {
            targets = [B2BUATarget(target: ForwardTarget(uri: Self.requestURI(did.target, number: number)), supportsUpdate: false, media: policy)]
        }
        let callerUser = (try? request.from().uri.user) ?? nil
        let caller = callerUser.flatMap { InboundPlan.number($0, format: carrier.profile.numberFormat) }
        let accounting = CallAccounting(
            callClass: .trunk, caller: caller?.description ?? callerUser ?? "", dialled: user, callee: number.description,
            source: carrier.name)
        return .bridge(B2BUARequest(candidates: targets, failover: FailoverPolicy(), accounting: accounting))
    }

    /// A PBX URI without a user part gets the dialled number (`sip:+14155550100@pbx`), so the PBX knows which DID was called.
    static func requestURI(_ target: SIPURI, number: E164Number) -> SIPURI {
        guard target.user == nil else { return target }
        let text = target.description
        guard let colon = text.firstIndex(of: ":") else { return target }
        return (try? SIPURI(String(text[...colon]) + number.description + "@" + text[text.index(after: colon)...])) ?? target
    }
}
