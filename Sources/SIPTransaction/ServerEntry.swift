import SIPCore
import SIPTransport

/// A server transaction as its layer keeps it: the state machine, where its
/// responses go, its keys and its running timers.
struct ServerEntry {
    var invite: ServerInviteTransaction?
    var nonInvite: ServerNonInviteTransaction?
    let key: TransactionKey
    let target: OutboundTarget
    /// The To tag of the last final response, for RFC 2543 ACK matching (17.2.3).
    var responseToTag: String?
    var timers: [TransactionTimerName: TimerWheel<TimerPayload>.TimerID] = [:]

    var state: ServerTransactionState {
        if let invite { return .invite(invite.state) }
        return .nonInvite(nonInvite!.state)
    }

    mutating func requestRetransmitted(_ effects: inout [TransactionEffect]) {
        invite?.requestRetransmitted(&effects)
        nonInvite?.requestRetransmitted(&effects)
    }

    mutating func respond(status: Int, bytes: [UInt8], _ effects: inout [TransactionEffect]) -> Bool {
        if invite != nil { return invite!.respond(status: status, bytes: bytes, &effects) }
        return nonInvite!.respond(status: status, bytes: bytes, &effects)
    }

    mutating func timerFired(_ timer: TransactionTimerName, _ effects: inout [TransactionEffect]) {
        invite?.timerFired(timer, &effects)
        nonInvite?.timerFired(timer, &effects)
    }

    mutating func transportFailed(_ effects: inout [TransactionEffect]) {
        invite?.transportFailed(&effects)
        nonInvite?.transportFailed(&effects)
    }
}
