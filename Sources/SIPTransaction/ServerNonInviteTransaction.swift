/// The non-INVITE server transaction of RFC 3261 17.2.2.
///
/// Trying absorbs retransmitted requests silently; Proceeding resends the
/// last provisional response; Completed resends the final response until
/// Timer J (64*T1 unreliable, at once reliable).
///
/// A pure value: events in, effects out; the layer owns timers and sockets.
public struct ServerNonInviteTransaction: Sendable {
    public enum State: Sendable, Hashable {
        case trying, proceeding, completed, terminated
    }

    public private(set) var state: State = .trying
    /// Timer J for this transport; all of the timers it needs.
    let timerJ: Int64
    private(set) var lastResponse: [UInt8]?

    init(timers: TransactionTimers, reliable: Bool) {
        timerJ = timers.timerJ(reliable: reliable)
    }

    /// The request arrived again.
    mutating func requestRetransmitted(_ effects: inout [TransactionEffect]) {
        switch state {
        case .proceeding, .completed:
            if let lastResponse { effects.append(.send(lastResponse, retransmission: true)) }
        case .trying, .terminated:
            break
        }
    }

    /// The TU sends a response; returns whether this state takes it.
    mutating func respond(status: Int, bytes: [UInt8], _ effects: inout [TransactionEffect]) -> Bool {
        guard state == .trying || state == .proceeding else { return false }
        lastResponse = bytes
        effects.append(.send(bytes, retransmission: false))
        if status < 200 {
            state = .proceeding
        } else {
            state = .completed
            if timerJ == 0 {
                terminate(.normal, &effects)
            } else {
                effects.append(.startTimer(.j, milliseconds: timerJ))
            }
        }
        return true
    }

    mutating func timerFired(_ timer: TransactionTimerName, _ effects: inout [TransactionEffect]) {
        if timer == .j, state == .completed { terminate(.normal, &effects) }
    }

    /// The transport could not deliver a response (RFC 3261 17.2.4).
    mutating func transportFailed(_ effects: inout [TransactionEffect]) {
        switch state {
        case .proceeding, .completed: terminate(.transportFailure, &effects)
        case .trying, .terminated: break
        }
    }

    private mutating func terminate(_ outcome: TransactionOutcome, _ effects: inout [TransactionEffect]) {
        state = .terminated
        effects.append(.terminate(outcome))
    }
}
