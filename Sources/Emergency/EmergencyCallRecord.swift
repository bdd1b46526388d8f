#if canImport(FoundationEssentials)
import Routing
import FoundationEssentials
#else
import Foundation
#endif

/// What happened to one emergency call, kept for `switchboard ctl emergency`
/// and the CDR store.
public struct EmergencyCallRecord: Sendable, Hashable, Codable {
    /// One INVITE to one target.
    public struct Attempt: Sendable, Hashable, Codable {
        public var target: EmergencyRoutePlan.Target
        public var started: Date
        public var ended: Date
        public var outcome: EmergencyAttemptOutcome

        public init(target: EmergencyRoutePlan.Target, started: Date, ended: Date, outcome: EmergencyAttemptOutcome) {
            self.target = target
            self.started = started
            self.ended = ended
            self.outcome = outcome
        }

        public var duration: Duration {
            .milliseconds(Int64((ended.timeIntervalSince(started) * 1000).rounded()))
        }
    }

    public enum FinalOutcome: String, Sendable, Hashable, Codable {
        /// A target answered.
        case answered
        /// Progress, then the call ended without an answer.
        case endedAfterProgress
        /// The caller hung up before anyone answered.
        case abandoned
        /// Every target failed.
        case allTargetsFailed
        /// Still being attempted.
        case inProgress
    }

    public var callID: String
    public var caller: EmergencyCaller
    public var dialled: String
    public var classification: EmergencyClassification
    /// The location sent, as one line; nil when none was.
    public var locationSent: String?
    public var locationSource: LocationResolution.Source
    public var locationGaps: [LocationResolution.Gap]
    public var callbackNumber: E164Number?
    public var started: Date
    public var attempts: [Attempt]

    public init(
        callID: String, caller: EmergencyCaller, dialled: String, classification: EmergencyClassification,
        resolution: LocationResolution, callbackNumber: E164Number?, started: Date, attempts: [Attempt] = []
    ) {
        self.callID = callID
        self.caller = caller
        self.dialled = dialled
        self.classification = classification
        self.locationSent = resolution.location.map(\.civicAddress.singleLine)
        self.locationSource = resolution.source
        self.locationGaps = resolution.gaps
        self.callbackNumber = callbackNumber
        self.started = started
        self.attempts = attempts
    }

    /// The SBC of the last attempt: the one that carried (or last refused) the call.
    public var sbcUsed: EmergencySBC? { attempts.last?.target.sbc }

    /// Derived from the attempts so it cannot disagree with them.
    public var finalOutcome: FinalOutcome {
        guard let last = attempts.last else { return .inProgress }
        switch last.outcome {
        case .answered: return .answered
        case .endedAfterProgress: return .endedAfterProgress
        case .cancelledByCaller: return .abandoned
        case .rejected, .noResponse, .noAnswer, .transportFailure: return .allTargetsFailed
        }
    }
}
