/// One call as billed and reported: who called whom, when it started, was
/// answered and ended, how it ended, which carrier carried it and at what
/// cost. Times are wall-clock seconds since 1970-01-01T00:00:00Z.
public struct CallDetailRecord: Sendable, Hashable {
    /// The A leg's Call-ID, as the caller sent it.
    public var callID: String
    /// The B2BUA's identifier for the call; attempts refer to it.
    public var callUUID: String
    public var callClass: CallClass
    /// The caller: the From user part, as E.164 when it normalizes.
    public var caller: String
    /// The number as dialled (Request-URI user part).
    public var dialled: String
    /// The dialled number normalized to E.164; nil when it does not normalize (local calls).
    public var callee: String?
    /// Who sent the call: the PBX trunk or the registered user.
    public var source: String
    /// When the INVITE arrived.
    public var startTime: Double
    /// When the 2xx went to the caller; nil for an unanswered call.
    public var answerTime: Double?
    /// When the call ended: BYE, final failure or CANCEL.
    public var endTime: Double
    /// Billable seconds: answer to end, rounded up to a whole second; 0 unanswered.
    public var duration: Int
    /// The final status sent to the caller (200 for an answered call).
    public var status: Int
    public var reason: String
    public var cause: CallEndCause
    /// The carrier of the answered attempt; nil unanswered or local.
    public var carrier: String?
    /// The cost at the answering carrier's rate; nil when unrated (unanswered, local, emergency).
    public var cost: CallCost?
    public var media: MediaCounters?

    public init(
        callID: String, callUUID: String, callClass: CallClass, caller: String, dialled: String, callee: String?,
        source: String, startTime: Double, answerTime: Double?, endTime: Double, duration: Int? = nil, status: Int,
        reason: String, cause: CallEndCause, carrier: String?, cost: CallCost?, media: MediaCounters? = nil
    ) {
        self.callID = callID
        self.callUUID = callUUID
        self.callClass = callClass
        self.caller = caller
        self.dialled = dialled
        self.callee = callee
        self.source = source
        self.startTime = startTime
        self.answerTime = answerTime
        self.endTime = endTime
        self.duration = duration ?? Self.billableSeconds(answer: answerTime, end: endTime)
        self.status = status
        self.reason = reason
        self.cause = cause
        self.carrier = carrier
        self.cost = cost
        self.media = media
    }

    /// Seconds from answer to end rounded up (carriers bill a started second),
    /// zero for a call never answered; what a `Rate`'s billing increment applies to.
    public static func billableSeconds(answer: Double?, end: Double) -> Int {
        guard let answer, end > answer else { return 0 }
        let seconds = (end - answer).rounded(.up)
        return seconds < Double(Int.max) ? Int(seconds) : Int.max
    }
}
