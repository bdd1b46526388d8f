import Emergency
import SIPCore

/// Everything the call path needs to send one emergency call: where to, in
/// which order, with which identity, location body and notifications.
/// Computed by `EmergencyPolicy.plan`, a value with no I/O behind it.
public struct EmergencyCallPlan: Sendable {
    /// One INVITE to one next hop.
    public struct Attempt: Sendable, Hashable {
        public var role: EmergencyRoutePlan.Role
        public var sbc: EmergencySBC
        /// `sip:911@<sbc>`, `sip:933@<sbc>` or the last resort's URI.
        public var requestURI: SIPURI
        /// From and the one P-Asserted-Identity; nil when neither the caller
        /// nor `fallback_callback_number` gives a NANP callback number.
        public var identity: EmergencyCallerIdentity?
        /// Whether this INVITE carries `body` and the Geolocation headers:
        /// Bandwidth's SBCs do, an ordinary last-resort trunk does not.
        public var carriesLocation: Bool
    }

    /// Emergency (911) or test (933).
    public var classification: EmergencyClassification
    /// The location found for the caller and what it lacks.
    public var resolution: LocationResolution
    /// In the order they are tried; empty when nothing is configured to route to.
    public var attempts: [Attempt]
    /// The SBC plan whose failover rules apply; nil without `[emergency.primary]`.
    public var route: EmergencyRoutePlan?
    /// How long an attempt may go without progress.
    public var attemptTimeout: Duration
    /// The listen address the INVITEs leave from.
    public var source: ListenAddress?
    /// The PIDF-LO sent, if any.
    public var locationObject: PIDFLocationObject?
    /// The `Geolocation` / `Geolocation-Routing` headers (RFC 6442) pointing at the PIDF-LO part.
    public var geolocation: GeolocationReference?
    /// `multipart/mixed` with the SDP and the PIDF-LO, when a location object is sent.
    public var body: MultipartMixedBody?
    /// What the front desk is told, and where.
    public var notification: EmergencyNotification
    public var notificationTargets: [EmergencyNotificationTarget]

    /// The extra header lines of an attempt's INVITE, in order:
    /// P-Asserted-Identity, then Geolocation and Geolocation-Routing.
    public func headers(for attempt: Attempt) -> [(name: String, value: String)] {
        var lines: [(name: String, value: String)] = []
        if let identity = attempt.identity { lines.append(("P-Asserted-Identity", identity.pAssertedIdentity)) }
        if attempt.carriesLocation, let geolocation {
            lines.append(("Geolocation", geolocation.geolocationHeader))
            lines.append(("Geolocation-Routing", geolocation.geolocationRoutingHeader))
        }
        return lines
    }

    /// The attempt after `outcomes`, or nil when the call is answered,
    /// stopped, or out of targets (failover rules of `route`).
    public func nextAttempt(after outcomes: [EmergencyAttemptOutcome]) -> Attempt? {
        if let last = outcomes.last, !(route?.failsOver(last) ?? false) { return nil }
        return outcomes.count < attempts.count ? attempts[outcomes.count] : nil
    }
}
