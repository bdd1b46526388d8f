import Routing
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
    /// The carrier this target belongs to, for limits, health and CDRs.
    public var carrier: CarrierTag?
    /// Header fields added to this target's INVITE (P-Asserted-Identity, Geolocation …).
    public var extraHeaders: [HeaderField]
    /// What of the caller's P-Asserted-Identity and Privacy this target gets
    /// (a carrier outside the trust domain under `Privacy: id`); nil follows the request's policy.
    public var identity: IdentityPolicy?
    /// The From on this target's leg, a URI or a whole name-addr (the caller ID in the carrier's format); nil keeps the request's.
    public var fromURI: String?
    /// Body parts sent after the session description, as multipart/mixed (RFC 6442 PIDF-LO).
    public var attachments: [BodyPart]
    /// An emergency attempt: never paced, limited or refused by a breaker.
    public var emergency: Bool
    /// When this target's final response or timeout sends the call on to
    /// the next candidate: its carrier's own policy, since carriers refuse
    /// with different statuses; nil follows the request's `failover`.
    public var failover: FailoverPolicy?

    /// One header field.
    public struct HeaderField: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// One body part after the SDP in a multipart/mixed body.
    public struct BodyPart: Sendable, Equatable {
        public var contentType: String
        /// `<cid>` as in the Content-ID header.
        public var contentID: String?
        public var body: [UInt8]

        public init(contentType: String, contentID: String?, body: [UInt8]) {
            self.contentType = contentType
            self.contentID = contentID
            self.body = body
        }
    }

    public init(
        target: ForwardTarget, supports100rel: Bool = false, supportsRefer: Bool = false, supportsUpdate: Bool = true,
        media: MediaPolicy = MediaPolicy(), credentials: CarrierCredentials? = nil, noAnswerTimeout: Duration? = nil,
        provisionalTimeout: Duration? = nil, carrier: CarrierTag? = nil, extraHeaders: [HeaderField] = [], fromURI: String? = nil,
        attachments: [BodyPart] = [], emergency: Bool = false, identity: IdentityPolicy? = nil, failover: FailoverPolicy? = nil
    ) {
        self.failover = failover
        self.identity = identity
        self.target = target
        self.supports100rel = supports100rel
        self.supportsRefer = supportsRefer
        self.supportsUpdate = supportsUpdate
        self.media = media
        self.credentials = credentials
        self.noAnswerTimeout = noAnswerTimeout
        self.provisionalTimeout = provisionalTimeout
        self.carrier = carrier
        self.extraHeaders = extraHeaders
        self.fromURI = fromURI
        self.attachments = attachments
        self.emergency = emergency
    }
}
