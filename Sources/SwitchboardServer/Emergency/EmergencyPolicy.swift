import Routing
import Emergency
import Foundation
import SIPCore

/// The `[emergency]` configuration compiled for the call path: classifies
/// what a caller dialled, and plans an emergency call (targets, identity,
/// PIDF-LO body, notifications). Part of the configuration snapshot, so a
/// call keeps the policy it started with across a reload.
public struct EmergencyPolicy: Sendable {
    public let numberPlan: EmergencyNumberPlan
    /// Primary and secondary E911 SBCs and the last resort; nil without `[emergency.primary]`.
    public let route: EmergencyRoutePlan?
    /// `last_resort`, also when there is no SBC to try first.
    public let lastResort: EmergencyRoutePlan.LastResortRoute?
    public let directory: EmergencyLocationDirectory
    /// The listen address emergency INVITEs leave from.
    public let source: ListenAddress?
    /// Host of the From and P-Asserted-Identity URIs (IPv6 in brackets).
    public let identityHost: String
    public let numberForm: EmergencyCallerIdentity.NumberForm
    public let fallbackCallbackNumber: E164Number?
    public let sendsLocationObject: Bool
    public let attemptTimeout: Duration
    public let notificationTargets: [EmergencyNotificationTarget]
    /// How long a callback to an emergency caller's number goes straight to it.
    public let callbackWindow: Duration
    /// Capacity of the in-memory emergency call record ring.
    public let recordRingCapacity: Int
    /// Whether anything routes or locates emergency calls.
    public let isConfigured: Bool

    public init(_ configuration: Configuration) {
        let settings = configuration.emergency
        numberPlan = settings.numberPlan
        lastResort = settings.lastResort
        route = settings.primary.map {
            EmergencyRoutePlan(
                primary: $0, secondary: settings.secondary, lastResort: settings.lastResort,
                attemptTimeout: settings.attemptTimeout, failoverStatuses: settings.failoverStatuses)
        }
        attemptTimeout = settings.attemptTimeout
        source = settings.effectiveSource(listen: configuration.sip.listen)
        if !settings.identityHost.isEmpty {
            identityHost = Self.uriHost(settings.identityHost)
        } else if let source {
            identityHost = Self.uriHost(source.host)
        } else {
            identityHost = configuration.sip.domains.first ?? configuration.server.node
        }
        numberForm = settings.numberForm
        fallbackCallbackNumber = settings.fallbackCallbackNumber
        sendsLocationObject = settings.sendsLocationObject
        notificationTargets = settings.notifySIP.map { .message($0) } + settings.notifyWebhooks.map { .webhook($0) }
        callbackWindow = settings.callbackWindow
        recordRingCapacity = settings.recordRingCapacity
        isConfigured = settings.isConfigured

        var directory = EmergencyLocationDirectory(defaultLocation: settings.defaultLocation.flatMap(settings.location))
        for assignment in settings.assignments {
            guard let location = settings.location(assignment.location) else { continue }
            switch assignment.subject {
            case .user(let user): directory.byUser[user] = location
            case .device(let key): directory.byDevice[key] = location
            case .network(let network): directory.assign(location, to: network)
            }
        }
        self.directory = directory
    }

    /// Classifies a dial string or a `sip:`/`tel:`/`urn:service:sos` URI as text.
    public func classify(_ dialled: String) -> EmergencyClassification {
        numberPlan.classify(dialled)
    }

    /// Classifies a Request-URI.
    public func classify(_ uri: SIPURI) -> EmergencyClassification {
        numberPlan.classify(uri)
    }

    /// Plans the emergency call `caller` placed by dialling `dialled`, or nil
    /// when `dialled` is not an emergency or test number. `sdp` is the
    /// caller's offer (the first part of the multipart body), `callID` names
    /// the Content-ID and the notification, `now` stamps the PIDF-LO.
    public func plan(
        dialled: String, caller: EmergencyCaller, callID: String, sdp: [UInt8]?, at now: Date
    ) -> EmergencyCallPlan? {
        let classification = classify(dialled)
        guard classification.takesEmergencyRoute else { return nil }
        let resolution = directory.resolve(caller)

        var targets: [(role: EmergencyRoutePlan.Role, sbc: EmergencySBC, number: String)] = []
        if let route {
            targets = route.targets(for: classification).map { ($0.role, $0.sbc, $0.serviceNumber) }
        } else if case .emergency = classification, let lastResort {
            targets = [(.lastResort, lastResort.next, lastResort.dialledNumber)]
        }
        let fallback = fallbackCallbackNumber ?? resolution.callbackNumber.flatMap { $0.isNANP ? $0 : nil }
        let attempts = targets.map { target in
            EmergencyCallPlan.Attempt(
                role: target.role, sbc: target.sbc, requestURI: target.sbc.requestURI(serviceNumber: target.number),
                identity: fallback.map {
                    EmergencyCallerIdentity(
                        serviceNumber: target.number, sbc: target.sbc, resolution: resolution, caller: caller,
                        identityHost: identityHost, fallbackCallbackNumber: $0, numberForm: numberForm)
                },
                carriesLocation: target.role != .lastResort)
        }

        var locationObject: PIDFLocationObject?
        var geolocation: GeolocationReference?
        var body: MultipartMixedBody?
        if sendsLocationObject, let location = resolution.location {
            let pidf = PIDFLocationObject(
                entity: PIDFLocationObject.presenceEntity(addressOfRecord: caller.addressOfRecord),
                civicAddress: location.civicAddress, timestamp: now, deviceID: caller.devices.first?.description)
            let reference = GeolocationReference(localPart: callID, host: identityHost)
            locationObject = pidf
            geolocation = reference
            if let sdp {
                body = MultipartMixedBody(sdp: sdp, pidf: pidf, reference: reference)
            } else {
                body = MultipartMixedBody(parts: [
                    .init(contentType: "application/pidf+xml", contentID: reference.contentIDHeader, body: pidf.bytes)
                ])
            }
        }
        let callback = attempts.first?.identity?.callbackNumber ?? resolution.callbackNumber
        let notification = EmergencyNotification(
            callID: callID, caller: caller, dialled: dialled, classification: classification, resolution: resolution,
            callbackNumber: callback, time: now)
        return EmergencyCallPlan(
            classification: classification, resolution: resolution, attempts: attempts, route: route,
            attemptTimeout: attemptTimeout, source: source, locationObject: locationObject, geolocation: geolocation,
            body: body, notification: notification, notificationTargets: notificationTargets)
    }

    /// An empty callback window of the configured length.
    public func makeCallbackWindow() -> CallbackWindow { CallbackWindow(duration: callbackWindow) }

    /// An empty emergency call record ring of the configured size.
    public func makeRecordRing() -> EmergencyCallRecordRing { EmergencyCallRecordRing(capacity: recordRingCapacity) }

    /// For the configuration summary: `off`, or the SBCs, last resort and location counts.
    public var summary: String {
        guard isConfigured else { return "off" }
        var parts: [String] = []
        if let route {
            parts.append("sbc:" + ([route.primary] + (route.secondary.map { [$0] } ?? [])).map(\.hostPort).joined(separator: "+"))
        } else {
            parts.append("sbc:none")
        }
        parts.append("last_resort:\(lastResort?.next.hostPort ?? "none")")
        parts.append("from:\(source?.description ?? "none")")
        return parts.joined(separator: ",")
    }

    static func uriHost(_ host: String) -> String {
        host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
    }
}
