/// One attempt of a call towards one carrier candidate: serial failover
/// makes several per call, in `index` order. Times are wall-clock seconds
/// since 1970-01-01T00:00:00Z.
public struct CallAttemptRecord: Sendable, Hashable {
    /// The call's `CallDetailRecord.callUUID`.
    public var callUUID: String
    /// 0 for the first candidate tried.
    public var index: Int
    public var carrier: String
    /// The Request-URI the attempt's INVITE was sent to.
    public var target: String
    /// When the INVITE was sent.
    public var startTime: Double
    /// When the first provisional response above 100 came; nil without one.
    public var provisionalTime: Double?
    /// When the 2xx came; nil if the attempt was not answered.
    public var answerTime: Double?
    public var endTime: Double
    /// The attempt's final status: the carrier's, or the one Switchboard
    /// decided (408 on timeout, 487 after CANCEL, 503 when unreachable).
    public var status: Int
    public var reason: String
    /// The next candidate was tried after this one failed.
    public var failedOver: Bool

    public init(
        callUUID: String, index: Int, carrier: String, target: String, startTime: Double, provisionalTime: Double?,
        answerTime: Double?, endTime: Double, status: Int, reason: String, failedOver: Bool
    ) {
        self.callUUID = callUUID
        self.index = index
        self.carrier = carrier
        self.target = target
        self.startTime = startTime
        self.provisionalTime = provisionalTime
        self.answerTime = answerTime
        self.endTime = endTime
        self.status = status
        self.reason = reason
        self.failedOver = failedOver
    }
}
