import Dispatch
import Logging
import Media
import SIPCore
import SIPTransaction
import SIPTransport

/// The back-to-back user agent of one shard: answers the INVITEs the route
/// decision bridges (`RouteOutcome.bridge`), places a new call towards the
/// candidates in turn, and relays between the two legs with topology
/// hiding: each leg has its own Call-ID, tags, CSeq, Via and Contact.
///
/// `ProxyCore` is the shard's transaction user and hands the B2BUA what is
/// its own: bridged INVITEs, and requests, responses and ACKs of its dialogs
/// and transactions. Confined to its shard's serial queue;
/// `@unchecked Sendable` only so it can be handed to the queue.
public final class B2BUA: @unchecked Sendable {
    public struct Settings: Sendable {
        public var identity: ProxyIdentity
        /// How many shards spread requests by Call-ID hash (`SIPService`); our Call-IDs hash to their shard.
        public var shardCount: Int
        /// The media relay; nil passes SDP bodies between the legs unchanged.
        public var media: MediaSettings?
        /// Limits, health and CDRs; nil admits every attempt and records nothing.
        public var observer: (any B2BUACallObserver)?

        public init(identity: ProxyIdentity, shardCount: Int = 1, media: MediaSettings? = nil, observer: (any B2BUACallObserver)? = nil) {
            self.identity = identity
            self.shardCount = max(1, shardCount)
            self.media = media
            self.observer = observer
        }
    }

    /// The methods Switchboard takes in a bridged dialog (Allow).
    public static let allow = "INVITE, ACK, CANCEL, BYE, OPTIONS, UPDATE, PRACK, INFO, NOTIFY, MESSAGE"
    /// Option tags the carrier leg may keep from the caller's Supported.
    static let relayableOptionTags: Set<String> = ["replaces", "norefersub", "histinfo", "path", "gruu"]

    enum TimerKind: Hashable {
        /// 2xx retransmission towards the leg whose ACK is awaited (RFC 3261 13.3.1.4).
        case retransmit2xx
        /// No ACK within 64*T1: the call is torn down.
        case ackTimeout
        /// RFC 4028: Switchboard refreshes at half the interval.
        case sessionRefresh
        /// RFC 4028 10: no refresh came in time.
        case sessionExpiry
        /// Ring and no-provisional timeouts of leg B's INVITE.
        case legB(LegBTimer)
        /// A paced INVITE may leave now (carrier CPS limit).
        case pacing
    }

    struct TimerPayload {
        var call: UInt64
        var kind: TimerKind
    }

    /// Who a dialog in the table belongs to.
    public struct DialogOwner: Sendable, Hashable {
        public var call: UInt64
        public var leg: B2BUALeg
    }

    /// A request from one leg relayed to the other, waiting for its answer.
    struct Relay: Sendable {
        var origin: B2BUALeg
        var transaction: ServerTransactionID
        var request: SIPMessage
    }

    enum Purpose: Sendable {
        case invite(attempt: Int)
        case relay(Relay)
        case bye
        case prack
        case refresh
        /// A 2xx from a second fork, ACKed and ended with this BYE.
        case extraFork
    }

    struct ClientOwner {
        var call: UInt64
        var purpose: Purpose
    }

    public let shard: Int
    public var settings: Settings
    /// Set by `ProxyCore` when the B2BUA is installed.
    public internal(set) var layer: TransactionLayer!
    let sender: any MessageSender
    let resolver: any TargetResolving
    let clock: any TransactionClock
    let logger: Logger

    var calls: [UInt64: B2BUACall] = [:]
    var callsByCallID: [String: UInt64] = [:]
    /// The dialogs of bridged calls, both legs.
    public internal(set) var dialogs = DialogTable<DialogOwner>()
    var inviteServers: [ServerTransactionID: UInt64] = [:]
    var clientOwners: [ClientTransactionID: ClientOwner] = [:]
    /// Requests sent on a carrier leg that a 401/407 may challenge, kept until their final response.
    var challengeable: [ClientTransactionID: ChallengeableRequest] = [:]
    var wheel: TimerWheel<TimerPayload>
    var generator = SystemRandomNumberGenerator()
    var lastCallID: UInt64 = 0
    var uniqueCounter: UInt64
    public internal(set) var statistics = B2BUAStatistics()
    /// The shard's media sessions are relayed here, on the relay shard's own queue (one per core).
    lazy var mediaRelay = RelayShard(label: "switchboard.media.shard.\(shard)", kernelForwarder: settings.media?.kernelForwarder)
    /// Media timeouts reported by the relay, handled at the next tick.
    let mediaTimeouts = MediaTimeoutMailbox()

    public init(
        shard: Int, settings: Settings, sender: any MessageSender, resolver: any TargetResolving = NumericTargetResolver(),
        clock: any TransactionClock = MonotonicClock(), logger: Logger
    ) {
        self.shard = shard
        self.settings = settings
        self.sender = sender
        self.resolver = resolver
        self.clock = clock
        self.logger = logger
        wheel = TimerWheel(now: clock.now)
        uniqueCounter = UInt64.random(in: 0..<(1 << 40))
    }

    /// Calls in progress (for `ctl calls`).
    public var activeCalls: Int { calls.count }

    /// Whether `callID` is one of a bridged call's legs (or has our Call-ID form):
    /// requests for it that match no dialog are answered 481, not proxied.
    func isOurs(callID: String) -> Bool {
        callsByCallID[callID] != nil || CallIDFormat.shard(of: callID) != nil
    }

    func makeTag() -> String {
        "sb" + CallIDFormat.hex(generator.next()).suffix(12)
    }

    func log(_ call: B2BUACall, _ message: Logger.Message, _ metadata: Logger.Metadata = [:]) {
        var all = metadata
        all["call-id"] = "\(call.aDialog.callID)"
        all["b-call-id"] = "\(call.bCallID)"
        logger.debug(message, metadata: all)
    }
}

/// Counters for `ctl status` and metrics.
public struct B2BUAStatistics: Sendable {
    public var calls = 0
    public var answered = 0
    public var failovers = 0
    public var teardowns = 0
    public var rejectedInDialog = 0
    /// Requests sent again with credentials after a carrier's 401/407.
    public var authenticationRetries = 0
    /// Carrier challenges not answered, or answered and refused.
    public var authenticationFailures = 0
    /// Carrier attempts cancelled for ringing too long or sending no provisional.
    public var ringTimeouts = 0
    /// Redirect targets taken from a carrier's 3xx.
    public var redirectsFollowed = 0
}
