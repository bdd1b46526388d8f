import SIPCore
import SIPTransaction
import SIPTransport

/// The B2BUA's own timers: 2xx retransmission until ACK (RFC 3261
/// 13.3.1.4) and session timers (RFC 4028), on a wheel read against the
/// shard's clock.
extension B2BUA {
    /// Fires every timer due; the shard calls it with the transaction layer's tick.
    public func tick() {
        handleMediaTimeouts()
        let now = clock.now
        while let due = wheel.popDue(upTo: now) {
            let payload = due.payload
            guard let call = calls[payload.call], call.timers[payload.kind] == due.id else { continue }
            call.timers[payload.kind] = nil
            switch payload.kind {
            case .retransmit2xx:
                guard var awaiting = call.awaitingAck else { continue }
                _ = layer.respond(awaiting.transaction, with: awaiting.response)
                awaiting.interval = min(2 * awaiting.interval, layer.timers.t2)
                call.awaitingAck = awaiting
                schedule(call, .retransmit2xx, in: awaiting.interval)
            case .ackTimeout:
                // 13.3.1.4: no ACK for the 2xx within 64*T1: the session ends.
                log(call, "no ACK for 2xx")
                tearDown(call, legs: [.a, .b], reason: [("Reason", "SIP;cause=408;text=\"No ACK\"")])
            case .sessionRefresh:
                sendRefresh(call)
            case .sessionExpiry:
                // RFC 4028 10: no refresh came: BYE on both legs.
                log(call, "session expired")
                call.ledger.cause = .sessionExpired
                tearDown(call, legs: [.a, .b], reason: [("Reason", "SIP;cause=408;text=\"Session Timer Expired\"")])
            case .legB(let timer):
                ringTimerFired(call, timer)
            case .pacing:
                sendPaced(call)
            }
        }
    }

    func schedule(_ call: B2BUACall, _ kind: TimerKind, in milliseconds: Int64) {
        cancelTimer(call, kind)
        call.timers[kind] = wheel.schedule(at: clock.now + milliseconds, TimerPayload(call: call.id, kind: kind))
    }

    func cancelTimer(_ call: B2BUACall, _ kind: TimerKind) {
        if let id = call.timers.removeValue(forKey: kind) { _ = wheel.cancel(id) }
    }

    /// A 2xx went to `leg` for its INVITE: retransmitted over unreliable
    /// transports until the ACK, the call torn down without one after 64*T1.
    func awaitAck(_ call: B2BUACall, from leg: B2BUALeg, cseq: UInt32, transaction: ServerTransactionID, response: SIPMessage, otherCSeq: UInt32) {
        let t1 = layer.timers.t1
        call.awaitingAck = B2BUACall.AwaitingAck(
            from: leg, cseq: cseq, transaction: transaction, response: response, otherCSeq: otherCSeq, interval: t1)
        if !(layer.responseTarget(of: transaction)?.transport.isReliable ?? false) { schedule(call, .retransmit2xx, in: t1) }
        schedule(call, .ackTimeout, in: 64 * t1)
    }
}
