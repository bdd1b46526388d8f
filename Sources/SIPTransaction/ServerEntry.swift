import SIPCore
import SIPTransport

/// A server transaction as its layer keeps it: the state machine, where its
/// responses go, its keys and its running timers. A class: its
/// layer updates it in place, with no copy of its messages or timers.
/// Confined to the layer's shard queue.
final class ServerEntry {
    var invite: ServerInviteTransaction?
    var nonInvite: ServerNonInviteTransaction?
    let key: TransactionKey
    let target: OutboundTarget
    /// The To tag of the last final response, for RFC 2543 ACK matching (17.2.3).
    var responseToTag: String?
    var timers: [TransactionTimerName: TimerWheel<TimerPayload>.TimerID] = [:]

    init(key: TransactionKey, target: OutboundTarget) {
        self.key = key
        self.target = target
    }

    var state: ServerTransactionState {
        if let invite { return .invite(invite.state) }
        return .nonInvite(nonInvite!.state)
    }

    func requestRetransmitted(_ effects: inout [TransactionEffect]) {
        invite?.requestRetransmitted(&effects)
        nonInvite?.requestRetransmitted(&effects)
    }

    func respond(status: Int, bytes: [UInt8], _ effects: inout [TransactionEffect]) -> Bool {
        if invite != nil { return invite!.respond(status: status, bytes: bytes, &effects) }
        return nonInvite!.respond(status: status, bytes: bytes, &effects)
    }

    func timerFired(_ timer: TransactionTimerName, _ effects: inout [TransactionEffect]) {
        invite?.timerFired(timer, &effects)
        nonInvite?.timerFired(timer, &effects)
    }

    func transportFailed(_ effects: inout [TransactionEffect]) {
        invite?.transportFailed(&effects)
        nonInvite?.transportFailed(&effects)
    }
}
