import SIPCore
import SIPTransport

/// A client transaction as its layer keeps it: the state machine, the
/// request (for ACK and CANCEL, until a final response), where it goes, and its running timers. A
/// class: its layer updates it in place, with no copy of its messages or timers.
/// Confined to the layer's shard queue.
final class ClientEntry {
    var invite: ClientInviteTransaction?
    var nonInvite: ClientNonInviteTransaction?
    /// Dropped at the final response: after it, no CANCEL is sent and the ACK is built.
    private(set) var request: SIPMessage?
    let key: TransactionKey
    let target: OutboundTarget
    /// For an INVITE: its CANCEL, sent or waiting for a provisional response (RFC 3261 9.1).
    var cancel: UInt64?
    var pendingCancel: SIPMessage?
    var timers = TransactionTimerSlots()

    init(request: SIPMessage, key: TransactionKey, target: OutboundTarget) {
        self.request = request
        self.key = key
        self.target = target
    }

    var state: ClientTransactionState {
        if let invite { return .invite(invite.state) }
        return .nonInvite(nonInvite!.state)
    }

    func responseReceived(_ response: SIPMessage, _ effects: inout [TransactionEffect]) {
        if invite != nil {
            let request = request
            invite!.responseReceived(
                status: response.statusCode, makeAck: { request.flatMap { try? $0.makeAck(for: response) }?.serialized() }, &effects)
        } else {
            nonInvite?.responseReceived(status: response.statusCode, &effects)
        }
        if response.statusCode >= 200 { request = nil }
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
