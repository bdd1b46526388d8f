import Routing
import SIPCore
import SIPTransaction
import SIPTransport

/// One bridged call: leg A (the caller's INVITE server transaction and
/// dialog) and leg B (the INVITE placed towards the current candidate, its
/// dialog), with what is in flight between them. A class because the
/// B2BUA's indexes (transactions, dialogs, timers) refer to it by identity;
/// confined to its shard's queue like the `B2BUA` that owns it
/// (`@unchecked Sendable` only so a resolver's answer can bring it back there).
final class B2BUACall: @unchecked Sendable {
    enum Phase {
        /// Leg B is being set up; A has no final response yet.
        case calling
        /// A 2xx went to A; its ACK has not come.
        case answered
        /// Both legs are up.
        case confirmed
        /// Torn down; kept only until the last references go.
        case ended
    }

    /// A 2xx sent to the leg `from` for its INVITE with CSeq `cseq`, retransmitted
    /// until its ACK comes (RFC 3261 13.3.1.4); then the other leg's 2xx to
    /// the INVITE with CSeq `otherCSeq` is ACKed.
    struct AwaitingAck {
        var from: B2BUALeg
        var cseq: UInt32
        var transaction: ServerTransactionID
        var response: SIPMessage
        var otherCSeq: UInt32
        var interval: Int64
    }

    /// The last ACK for a 2xx sent on a leg, sent again if the 2xx is.
    struct SentAck {
        var cseq: UInt32
        var message: SIPMessage
        var target: OutboundTarget
    }

    let id: UInt64
    /// Variable only so that followed redirects can add candidates.
    var request: B2BUARequest
    let aInvite: SIPMessage
    let aTransaction: ServerTransactionID
    let aDialog: DialogID
    /// Where requests to A go when A's dialog has no route set: where its INVITE came from (NAT-safe).
    let aFlow: OutboundTarget
    /// Our Contact towards A.
    let aContact: String
    var aFinalSent = false
    var phase = Phase.calling
    var cancelled = false

    /// Index into `request.candidates` of the current attempt.
    var candidate = -1
    var bCallID = ""
    var bLocalTag = ""
    /// The current attempt's INVITE as sent (with our Via), once sent.
    var bInvite: SIPMessage?
    var bInviteCSeq: UInt32 = 1
    var bTransaction: ClientTransactionID?
    /// The dialog of leg B: early or confirmed; early dialogs of other forks are in `bEarly`.
    var bDialog: DialogID?
    var bEarly: Set<DialogID> = []
    /// The last RSeq PRACKed per remote tag (RFC 3262 4).
    var lastRSeq: [String: UInt32] = [:]
    /// The last session description sent on leg B, offered again by a refresh re-INVITE.
    var bOffer: (body: [UInt8], contentType: String)?

    var awaitingAck: AwaitingAck?
    var acksSent: [B2BUALeg: SentAck] = [:]
    /// A re-INVITE is being relayed (RFC 3261 14.1: one at a time, 491 otherwise).
    var reinviteInProgress = false
    /// Client transactions started for this call.
    var clients: Set<ClientTransactionID> = []
    /// Requests relayed to the other leg, waiting for its answer.
    var relays: Set<ClientTransactionID> = []
    var timers: [B2BUA.TimerKind: TimerWheel<B2BUA.TimerPayload>.TimerID] = [:]
    /// Negotiated session interval on leg B (RFC 4028), and whether Switchboard refreshes.
    var sessionInterval: UInt32?
    var weRefresh = false
    /// The media relay of the call, once its offer was anchored.
    var media: MediaAnchor?
    /// Digest nonces, ring state and abandoned attempts of the carrier leg.
    var carrier = CarrierLegState()
    /// Attempts, times and outcome, for the observer and the CDR.
    var ledger = CallLedger()
    /// An INVITE held back by CPS pacing until its timer fires.
    var paced: (invite: SIPMessage, target: B2BUATarget, attempt: Int)?

    init(id: UInt64, request: B2BUARequest, aInvite: SIPMessage, aTransaction: ServerTransactionID, aDialog: DialogID, aFlow: OutboundTarget, aContact: String) {
        self.id = id
        self.request = request
        self.aInvite = aInvite
        self.aTransaction = aTransaction
        self.aDialog = aDialog
        self.aFlow = aFlow
        self.aContact = aContact
    }

    var target: B2BUATarget? { request.candidates.indices.contains(candidate) ? request.candidates[candidate] : nil }

    /// The policy for the current attempt's refusal or silence: its target's
    /// (the carrier that refused), else the request's.
    var failover: FailoverPolicy { target?.failover ?? request.failover }

    func dialog(_ leg: B2BUALeg) -> DialogID? { leg == .a ? aDialog : bDialog }
}
