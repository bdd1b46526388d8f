/// The INVITE server transaction of RFC 3261 17.2.1, with the Accepted
/// state and Timer L of RFC 6026 7.1.
///
/// Proceeding: 100 Trying goes out after `tryingDelay` unless the TU answers
/// first (or at once with `sendTryingImmediately`); a retransmitted INVITE
/// resends the last provisional response. A 300–699 moves to Completed, which
/// retransmits it on Timer G (unreliable only) until an ACK moves to
/// Confirmed or Timer H gives up; the ACK is hop-by-hop and never reaches the
/// TU. A 2xx moves to Accepted, where retransmitted INVITEs are absorbed,
/// ACKs go to the TU and the TU's 2xx retransmissions are sent, until Timer L.
///
/// A pure value: events in, effects out; the layer owns timers and sockets.
public struct ServerInviteTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case proceeding, completed, confirmed, accepted, terminated
    }

    public private(set) var state: State = .proceeding
    let timers: TransactionTimers
    let reliable: Bool
    /// The 100 Trying this transaction sends when the TU is slow.
    let trying: [UInt8]
    /// The last response sent, resent when the INVITE is retransmitted.
    private(set) var lastResponse: [UInt8]?
    private var intervalG: Int64

    init(timers: TransactionTimers, reliable: Bool, trying: [UInt8]) {
        self.timers = timers
        self.reliable = reliable
        self.trying = trying
        intervalG = timers.timerG
    }

    /// The INVITE arrived and created this transaction.
    mutating func start(_ effects: inout [TransactionEffect]) {
        if timers.sendTryingImmediately {
            sendTrying(&effects)
        } else {
            effects.append(.startTimer(.trying, milliseconds: timers.tryingDelay))
        }
    }

    private mutating func sendTrying(_ effects: inout [TransactionEffect]) {
        lastResponse = trying
        effects.append(.send(trying, retransmission: false))
    }

    /// The INVITE arrived again.
    mutating func requestRetransmitted(_ effects: inout [TransactionEffect]) {
        switch state {
        case .proceeding, .completed:
            if let lastResponse { effects.append(.send(lastResponse, retransmission: true)) }
        case .confirmed, .accepted, .terminated:
            break
        }
    }

    /// An ACK matched this transaction.
    mutating func ackReceived(_ effects: inout [TransactionEffect]) {
        switch state {
        case .completed:
            state = .confirmed
            effects.append(.stopTimer(.g))
            effects.append(.stopTimer(.h))
            enter(.i, timers.timerI(reliable: reliable), &effects)
        case .accepted:
            effects.append(.deliverToUser)
        case .proceeding, .confirmed, .terminated:
            break
        }
    }

    /// The TU sends a response; returns whether this state takes it.
    mutating func respond(status: Int, bytes: [UInt8], _ effects: inout [TransactionEffect]) -> Bool {
        switch state {
        case .proceeding:
            effects.append(.stopTimer(.trying))
            effects.append(.send(bytes, retransmission: false))
            if status < 200 {
                lastResponse = bytes
            } else if status < 300 {
                lastResponse = nil
                state = .accepted
                effects.append(.startTimer(.l, milliseconds: timers.timerL))
            } else {
                lastResponse = bytes
                state = .completed
                if !reliable { effects.append(.startTimer(.g, milliseconds: intervalG)) }
                effects.append(.startTimer(.h, milliseconds: timers.timerH))
            }
            return true
        case .accepted where (200..<300).contains(status):
            effects.append(.send(bytes, retransmission: true))
            return true
        case .accepted, .completed, .confirmed, .terminated:
            return false
        }
    }

    mutating func timerFired(_ timer: TransactionTimerName, _ effects: inout [TransactionEffect]) {
        switch (timer, state) {
        case (.trying, .proceeding) where lastResponse == nil:
            sendTrying(&effects)
        case (.g, .completed):
            if let lastResponse { effects.append(.send(lastResponse, retransmission: true)) }
            intervalG = min(2 * intervalG, timers.t2)
            effects.append(.startTimer(.g, milliseconds: intervalG))
        case (.h, .completed):
            terminate(.timeout, &effects)
        case (.i, .confirmed), (.l, .accepted):
            terminate(.normal, &effects)
        default:
            break
        }
    }

    /// The transport could not deliver a response (RFC 3261 17.2.4).
    mutating func transportFailed(_ effects: inout [TransactionEffect]) {
        switch state {
        case .proceeding, .completed, .accepted: terminate(.transportFailure, &effects)
        case .confirmed, .terminated: break
        }
    }

    private mutating func enter(_ timer: TransactionTimerName, _ duration: Int64, _ effects: inout [TransactionEffect]) {
        if duration == 0 {
            terminate(.normal, &effects)
        } else {
            effects.append(.startTimer(timer, milliseconds: duration))
        }
    }

    private mutating func terminate(_ outcome: TransactionOutcome, _ effects: inout [TransactionEffect]) {
        state = .terminated
        effects.append(.terminate(outcome))
    }
}
