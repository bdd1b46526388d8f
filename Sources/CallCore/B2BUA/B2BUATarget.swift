/// One carrier (or other next hop) a bridged call may go to, with what that
/// peer can do; the list comes from the route decision (least-cost routing,
/// a static route, E911 policy), cheapest or preferred first.
public struct B2BUATarget: Sendable, Equatable {
    public var target: ForwardTarget
    /// Reliable provisional responses (RFC 3262): when false, `100rel` is not
    /// offered in Supported; reliable provisionals are PRACKed all the same.
    public var supports100rel: Bool
    /// Whether the peer takes REFER (RFC 3515); Vonage does not. Switchboard
    /// does not carry out transfers itself: REFER is answered 501 when the
    /// peer cannot take it, 603 otherwise.
    public var supportsRefer: Bool
    /// Whether the peer takes UPDATE (RFC 3311): session refreshes use it
    /// when true, re-INVITE otherwise.
    public var supportsUpdate: Bool
    /// Relay, codecs and SRTP for this peer's leg (used when the B2BUA has `MediaSettings`).
    public var media: MediaPolicy
    /// Digest credentials for the peer's 401/407 challenges; nil when it
    /// authenticates by source address (Bandwidth): a challenge then fails over.
    public var credentials: CarrierCredentials?
    /// How long the peer may ring (from its first 101-199) without answering
    /// before it is cancelled and the call fails over (`FailoverPolicy.noAnswer`); nil waits for the ring timeout.
    public var noAnswerTimeout: Duration?
    /// How long the peer may take to send any provisional response before
    /// it is taken for dead, cancelled and failed over as a 408; nil waits for Timer B.
    public var provisionalTimeout: Duration?

    public init(
        target: ForwardTarget, supports100rel: Bool = false, supportsRefer: Bool = false, supportsUpdate: Bool = true,
        media: MediaPolicy = MediaPolicy(), credentials: CarrierCredentials? = nil, noAnswerTimeout: Duration? = nil,
        provisionalTimeout: Duration? = nil
    ) {
        self.target = target
        self.supports100rel = supports100rel
        self.supportsRefer = supportsRefer
        self.supportsUpdate = supportsUpdate
        self.media = media
        self.credentials = credentials
        self.noAnswerTimeout = noAnswerTimeout
        self.provisionalTimeout = provisionalTimeout
    }
}
