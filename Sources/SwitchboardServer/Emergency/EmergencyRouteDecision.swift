import CallCore
import Emergency
import Foundation
import Routing
import SIPCore

/// The first routing decision: an INVITE for an emergency or test number
/// (911, 933, 112 …) is bridged to the E911 SBCs with the caller's callback
/// number and dispatchable location, before and regardless of any other
/// rule; a PSAP calling a callback number back within its window reaches
/// the caller again. Everything else goes on to `fallback`.
struct EmergencyRouteDecision: RouteDecision {
    let policy: EmergencyPolicy
    let fallback: any RouteDecision
    let calls: EmergencyCalls
    /// The caller's contacts, when the callback window names a local AOR.
    let locate: @Sendable (SIPURI) -> [[ForwardTarget]]?

    func route(_ request: SIPMessage, requestURI: SIPURI) -> RouteOutcome {
        decide(request, requestURI: requestURI, context: nil)
    }

    func route(_ request: SIPMessage, requestURI: SIPURI, context: RouteContext) -> RouteOutcome {
        decide(request, requestURI: requestURI, context: context)
    }

    private func decide(_ request: SIPMessage, requestURI: SIPURI, context: RouteContext?) -> RouteOutcome {
        func next() -> RouteOutcome {
            context.map { fallback.route(request, requestURI: requestURI, context: $0) } ?? fallback.route(request, requestURI: requestURI)
        }
        guard request.method == .invite else { return next() }
        let classification = policy.classify(requestURI)
        guard classification.takesEmergencyRoute else {
            if let callback = callbackTarget(requestURI) { return callback }
            return next()
        }
        let caller = Self.caller(of: request, context: context)
        let callID = (try? request.callID()) ?? UUID().uuidString
        let sdp = request.body.isEmpty ? nil : Array(request.body)
        guard let plan = policy.plan(dialled: requestURI.user ?? "", caller: caller, callID: callID, sdp: sdp, at: Date()),
            !plan.attempts.isEmpty
        else {
            calls.alert("no E911 route: neither [emergency.primary] nor last_resort is configured", callID: callID, caller: caller.user)
            return .reject(status: 503, reason: "Service Unavailable")
        }
        calls.started(plan, callID: callID, callerAOR: caller.addressOfRecord)
        return .bridge(Self.bridge(plan, caller: caller, source: context?.inbound.source.ip ?? ""))
    }

    /// A call to a number whose emergency call ended recently goes back to
    /// the caller's device (the PSAP's callback), whatever routing says.
    private func callbackTarget(_ uri: SIPURI) -> RouteOutcome? {
        guard let user = uri.user, let number = E164Number(user),
            let aor = calls.callbackTarget(for: number), let aorURI = try? SIPURI(aor), let targets = locate(aorURI)
        else { return nil }
        return .forward(targets)
    }

    /// Who is calling: the authenticated user, else From's user; the device by +sip.instance and User-Agent.
    static func caller(of request: SIPMessage, context: RouteContext?) -> EmergencyCaller {
        let from = try? request.from()
        let user = context?.user ?? from?.uri.user ?? "anonymous"
        let aor = from.map { "sip:\(user)@\($0.uri.host)" } ?? "sip:\(user)@invalid"
        var devices: [DeviceKey] = []
        if let contact = try? request.contact(), case .addresses(let list) = contact {
            for address in list {
                if let instance = address.parameters["+sip.instance"] { devices.append(.instance(instance.trimmingCharacters(in: CharacterSet(charactersIn: "\"<>")))) }
            }
        }
        if let agent = request.firstField(.userAgent).map({ request.value(of: $0) }) { devices.append(.userAgent(agent)) }
        let number = (from?.uri.user).flatMap { E164Number($0) }
        return EmergencyCaller(
            user: user, addressOfRecord: aor, displayName: from?.displayName, devices: devices,
            sourceAddress: context?.inbound.source.ip, number: number)
    }

    /// The B2BUA request: the SBCs in order, G.711 with telephone-event,
    /// exactly one P-Asserted-Identity, the location by value; never paced or limited.
    static func bridge(_ plan: EmergencyCallPlan, caller: EmergencyCaller, source: String) -> B2BUARequest {
        let media = MediaPolicy(relay: .always, allowedCodecs: ["PCMU", "PCMA"], srtp: .off)
        let targets = plan.attempts.map { attempt -> B2BUATarget in
            var attachments: [B2BUATarget.BodyPart] = []
            if attempt.carriesLocation, let pidf = plan.locationObject, let reference = plan.geolocation {
                attachments.append(.init(contentType: "application/pidf+xml", contentID: reference.contentIDHeader, body: pidf.bytes))
            }
            return B2BUATarget(
                target: ForwardTarget(uri: attempt.requestURI), media: media, provisionalTimeout: plan.attemptTimeout, carrier: CarrierTag(name: "e911-\(attempt.role)"),
                extraHeaders: plan.headers(for: attempt).map { .init($0.name, $0.value) }, fromURI: attempt.identity?.from,
                attachments: attachments, emergency: true)
        }
        // Fail over on anything but an answer: a busy or refusing SBC must not end a 911 call.
        let failover = FailoverPolicy(failoverStatuses: Set(300...699), neverFailoverStatuses: [])
        return B2BUARequest(
            candidates: targets, failover: failover, identity: .strip, ringTimeout: .seconds(180),
            accounting: CallAccounting(
                callClass: .emergency, caller: caller.number?.description ?? caller.user, dialled: plan.classification.serviceNumber ?? "",
                callee: plan.classification.serviceNumber, source: caller.user))
    }
}
