/// The non-INVITE client transaction of RFC 3261 17.1.2.
///
/// Trying retransmits on Timer E (unreliable only), doubling up to T2;
/// Proceeding retransmits every T2. Timer F ends both with a timeout. A final
/// response moves to Completed, which absorbs its retransmissions until
/// Timer K (T4 unreliable, at once reliable).
///
/// A pure value: events in, effects out; the layer owns timers and sockets.
public struct ClientNonInviteTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case trying, proceeding, completed, terminated
    }

    public private(set) var state: State = .trying
    let timers: TransactionTimers
    let reliable: Bool
    /// The request as sent, for Timer E; dropped in Completed.
    private(set) var request: [UInt8]
    private var intervalE: Int64

    init(timers: TransactionTimers, reliable: Bool, request: [UInt8]) {
        self.timers = timers
        self.reliable = reliable
        self.request = request
        intervalE = timers.timerE
    }

    mutating func start(_ effects: inout [TransactionEffect]) {
        effects.append(.send(request, retransmission: false))
        if !reliable { effects.append(.startTimer(.e, milliseconds: intervalE)) }
        effects.append(.startTimer(.f, milliseconds: timers.timerF))
    }

    mutating func responseReceived(status: Int, _ effects: inout [TransactionEffect]) {
        switch state {
        case .trying, .proceeding:
            if status < 200 {
                state = .proceeding
                effects.append(.deliverToUser)
                return
            }
            state = .completed
            request = []
            effects.append(.stopTimer(.e))
            effects.append(.stopTimer(.f))
            effects.append(.deliverToUser)
            let k = timers.timerK(reliable: reliable)
            if k == 0 {
                terminate(.normal, &effects)
            } else {
                effects.append(.startTimer(.k, milliseconds: k))
            }
        case .completed, .terminated:
            break
        }
    }

    mutating func timerFired(_ timer: TransactionTimerName, _ effects: inout [TransactionEffect]) {
        switch (timer, state) {
        case (.e, .trying):
            effects.append(.send(request, retransmission: true))
            intervalE = min(2 * intervalE, timers.t2)
            effects.append(.startTimer(.e, milliseconds: intervalE))
        case (.e, .proceeding):
            effects.append(.send(request, retransmission: true))
            intervalE = timers.t2
            effects.append(.startTimer(.e, milliseconds: intervalE))
        case (.f, .trying), (.f, .proceeding):
            terminate(.timeout, &effects)
        case (.k, .completed):
            terminate(.normal, &effects)
        default:
            break
        }
    }

    /// The transport could not deliver the request (RFC 3261 17.1.4).
    mutating func transportFailed(_ effects: inout [TransactionEffect]) {
        switch state {
        case .trying, .proceeding: terminate(.transportFailure, &effects)
        case .completed, .terminated: break
        }
    }

    private mutating func terminate(_ outcome: TransactionOutcome, _ effects: inout [TransactionEffect]) {
        state = .terminated
        effects.append(.terminate(outcome))
    }
}
