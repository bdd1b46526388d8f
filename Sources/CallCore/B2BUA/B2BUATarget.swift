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

    public init(
        target: ForwardTarget, supports100rel: Bool = false, supportsRefer: Bool = false, supportsUpdate: Bool = true,
        media: MediaPolicy = MediaPolicy()
    ) {
        self.target = target
        self.supports100rel = supports100rel
        self.supportsRefer = supportsRefer
        self.supportsUpdate = supportsUpdate
        self.media = media
    }
}
