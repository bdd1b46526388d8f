import SIPCore
import SIPTransport

/// A server transaction as its layer keeps it: the state machine, where its
/// responses go, its key and its running timers. A class: its layer updates
/// it in place, with no copy of its messages or timers. Confined to the
/// layer's shard queue.
///
/// Small, because a registrar holds one per REGISTER until Timer J (32 s):
/// one state machine (INVITE or not, never both), the last response as
/// bytes, the key, the target and the timers inline. No message is kept.
final class ServerEntry {
    private enum Machine {
        case invite(ServerInviteTransaction)
        case nonInvite(ServerNonInviteTransaction)
    }

    private var machine: Machine
    let key: TransactionKey
    let target: OutboundTarget
    /// The To tag of the last final response of an INVITE, for RFC 2543 ACK matching (17.2.3).
    var responseToTag: String?
    var timers = TransactionTimerSlots()

    init(key: TransactionKey, target: OutboundTarget, invite: ServerInviteTransaction) {
        self.key = key
        self.target = target
        machine = .invite(invite)
    }

    init(key: TransactionKey, target: OutboundTarget, nonInvite: ServerNonInviteTransaction) {
        self.key = key
        self.target = target
        machine = .nonInvite(nonInvite)
    }

    /// The INVITE state machine; nil for a non-INVITE transaction.
    var invite: ServerInviteTransaction? {
        get {
            guard case .invite(let m) = machine else { return nil }
            return m
        }
        set {
            guard let newValue, case .invite = machine else { return }
            machine = .invite(newValue)
        }
    }

    var isInvite: Bool {
        if case .invite = machine { return true }
        return false
    }

    var state: ServerTransactionState {
        switch machine {
        case .invite(let m): .invite(m.state)
        case .nonInvite(let m): .nonInvite(m.state)
        }
    }

    func requestRetransmitted(_ effects: inout [TransactionEffect]) {
        switch machine {
        case .invite(var m):
            m.requestRetransmitted(&effects)
            machine = .invite(m)
        case .nonInvite(var m):
            m.requestRetransmitted(&effects)
            machine = .nonInvite(m)
        }
    }

    func respond(status: Int, bytes: [UInt8], _ effects: inout [TransactionEffect]) -> Bool {
        switch machine {
        case .invite(var m):
            defer { machine = .invite(m) }
            return m.respond(status: status, bytes: bytes, &effects)
        case .nonInvite(var m):
            defer { machine = .nonInvite(m) }
            return m.respond(status: status, bytes: bytes, &effects)
        }
    }

    func timerFired(_ timer: TransactionTimerName, _ effects: inout [TransactionEffect]) {
        switch machine {
        case .invite(var m):
            m.timerFired(timer, &effects)
            machine = .invite(m)
        case .nonInvite(var m):
            m.timerFired(timer, &effects)
            machine = .nonInvite(m)
        }
    }

    func transportFailed(_ effects: inout [TransactionEffect]) {
        switch machine {
        case .invite(var m):
            m.transportFailed(&effects)
            machine = .invite(m)
        case .nonInvite(var m):
            m.transportFailed(&effects)
            machine = .nonInvite(m)
        }
    }
}
