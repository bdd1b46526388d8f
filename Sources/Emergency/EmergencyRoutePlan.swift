/// Where an emergency call goes, in order: Bandwidth's primary E911 SBC,
/// its geo-redundant secondary, then an operator-chosen last resort (for
/// example an ordinary carrier trunk dialling 911, or a PSAP's ten-digit
/// line), each tried for at most `attemptTimeout` without progress.
public struct EmergencyRoutePlan: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable, Codable {
        case primary
        case secondary
        case lastResort
    }

    /// An ordinary trunk used when both E911 SBCs fail.
    public struct LastResortRoute: Sendable, Hashable, Codable {
        /// The carrier profile's name, for logs and CDRs.
        public var trunk: String
        public var next: EmergencySBC
        /// What to put in the Request-URI user part (`911`, or a PSAP's E.164 number).
        public var dialledNumber: String

        public init(trunk: String, next: EmergencySBC, dialledNumber: String) {
            self.trunk = trunk
            self.next = next
            self.dialledNumber = dialledNumber
        }
    }

    /// One place to send the INVITE.
    public struct Target: Sendable, Hashable, Codable, CustomStringConvertible {
        public var role: Role
        public var sbc: EmergencySBC
        /// The Request-URI user part for this target.
        public var serviceNumber: String

        public var description: String { "\(role.rawValue) sip:\(serviceNumber)@\(sbc)" }
    }

    public var primary: EmergencySBC
    public var secondary: EmergencySBC?
    public var lastResort: LastResortRoute?
    /// How long an attempt may go without a response beyond 100 Trying
    /// before the next target is tried.
    public var attemptTimeout: Duration
    /// Final statuses, besides 5xx, that move on to the next target (default 408).
    public var failoverStatuses: Set<Int>

    public init(
        primary: EmergencySBC, secondary: EmergencySBC?, lastResort: LastResortRoute? = nil,
        attemptTimeout: Duration = .seconds(4), failoverStatuses: Set<Int> = [408]
    ) {
        self.primary = primary
        self.secondary = secondary
        self.lastResort = lastResort
        self.attemptTimeout = attemptTimeout
        self.failoverStatuses = failoverStatuses
    }

    /// The targets in the order they are tried for a call to `serviceNumber`.
    /// A test call (933) never goes to the last resort: it exists to check
    /// Bandwidth's record, and an ordinary trunk would not read it back.
    public func targets(for classification: EmergencyClassification) -> [Target] {
        guard let number = classification.serviceNumber else { return [] }
        var out = [Target(role: .primary, sbc: primary, serviceNumber: number)]
        if let secondary { out.append(Target(role: .secondary, sbc: secondary, serviceNumber: number)) }
        if case .emergency = classification, let lastResort {
            out.append(Target(role: .lastResort, sbc: lastResort.next, serviceNumber: lastResort.dialledNumber))
        }
        return out
    }

    /// Whether an attempt that ended this way moves on to the next target:
    /// no answer, timeout, transport failure, 5xx and `failoverStatuses` do;
    /// an answer, progress, a caller hang-up and other 4xx/6xx do not.
    public func failsOver(_ outcome: EmergencyAttemptOutcome) -> Bool {
        switch outcome {
        case .noResponse, .noAnswer, .transportFailure: return true
        case .rejected(let status): return (500..<600).contains(status) || failoverStatuses.contains(status)
        case .answered, .endedAfterProgress, .cancelledByCaller: return false
        }
    }

    /// The next target after the outcomes so far, or nil when the call is
    /// finished (answered, stopped, or out of targets).
    public func nextTarget(for classification: EmergencyClassification, after outcomes: [EmergencyAttemptOutcome]) -> Target? {
        let all = targets(for: classification)
        if let last = outcomes.last, !failsOver(last) { return nil }
        return outcomes.count < all.count ? all[outcomes.count] : nil
    }
}
