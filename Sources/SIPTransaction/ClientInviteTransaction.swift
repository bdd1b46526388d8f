/// The INVITE client transaction of RFC 3261 17.1.1, with the Accepted
/// state and Timer M of RFC 6026 7.2.
///
/// Calling retransmits the INVITE on Timer A (unreliable only, doubling each
/// time, without the T2 cap of non-INVITE requests) until a response or
/// Timer B. A 300–699 moves to Completed: the transaction sends the ACK
/// itself (17.1.1.3), passes the response up once, and answers
/// retransmissions of it with the same ACK until Timer D. A 2xx moves to
/// Accepted: it and its retransmissions go to the TU (which ACKs end to end)
/// until Timer M.
///
/// A pure value: events in, effects out; the layer owns timers and sockets.
public struct ClientInviteTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case calling, proceeding, completed, accepted, terminated
    }

    public private(set) var state: State = .calling
    let timers: TransactionTimers
    let reliable: Bool
    /// The INVITE as sent, for Timer A; dropped once a response stops the retransmissions.
    private(set) var request: [UInt8]
    /// The ACK sent for the non-2xx final response, resent for its retransmissions.
    private(set) var ack: [UInt8]?
    private var intervalA: Int64

    init(timers: TransactionTimers, reliable: Bool, request: [UInt8]) {
        self.timers = timers
        self.reliable = reliable
        self.request = request
        intervalA = timers.timerA
    }

    mutating func start(_ effects: inout [TransactionEffect]) {
        effects.append(.send(request, retransmission: false))
        if !reliable { effects.append(.startTimer(.a, milliseconds: intervalA)) }
        effects.append(.startTimer(.b, milliseconds: timers.timerB))
    }

    /// A response matched this transaction; `makeAck` builds the ACK for a 300–699.
    mutating func responseReceived(status: Int, makeAck: () -> [UInt8]?, _ effects: inout [TransactionEffect]) {
        switch (state, status) {
        case (.calling, 100..<200):
            state = .proceeding
            request = []
            effects.append(.stopTimer(.a))
            effects.append(.stopTimer(.b))
            effects.append(.deliverToUser)
        case (.proceeding, 100..<200):
            effects.append(.deliverToUser)
        case (.calling, 200..<300), (.proceeding, 200..<300):
            state = .accepted
            request = []
            effects.append(.stopTimer(.a))
            effects.append(.stopTimer(.b))
            effects.append(.deliverToUser)
            effects.append(.startTimer(.m, milliseconds: timers.timerM))
        case (.accepted, 200..<300):
            effects.append(.deliverToUser)
        case (.calling, 300...), (.proceeding, 300...):
            state = .completed
            request = []
            effects.append(.stopTimer(.a))
            effects.append(.stopTimer(.b))
            ack = makeAck()
            if let ack { effects.append(.send(ack, retransmission: false)) }
            effects.append(.deliverToUser)
            let d = timers.timerD(reliable: reliable)
            if d == 0 {
                terminate(.normal, &effects)
            } else {
                effects.append(.startTimer(.d, milliseconds: d))
            }
        case (.completed, 300...):
            if let ack { effects.append(.send(ack, retransmission: true)) }
        default:
            break
        }
    }

    mutating func timerFired(_ timer: TransactionTimerName, _ effects: inout [TransactionEffect]) {
        switch (timer, state) {
        case (.a, .calling):
            effects.append(.send(request, retransmission: true))
            intervalA *= 2
            effects.append(.startTimer(.a, milliseconds: intervalA))
        case (.b, .calling):
            terminate(.timeout, &effects)
        case (.d, .completed), (.m, .accepted):
            terminate(.normal, &effects)
        default:
            break
        }
    }

    /// The transport could not deliver the INVITE (RFC 3261 17.1.4) or the ACK.
    /// In Completed the TU already has the final response, so the transaction
    /// just ends.
    mutating func transportFailed(_ effects: inout [TransactionEffect]) {
        switch state {
        case .calling, .proceeding: terminate(.transportFailure, &effects)
        case .completed: terminate(.normal, &effects)
        case .accepted, .terminated: break
        }
    }

    private mutating func terminate(_ outcome: TransactionOutcome, _ effects: inout [TransactionEffect]) {
        state = .terminated
        effects.append(.terminate(outcome))
    }
}
