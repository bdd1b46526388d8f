import Routing
import SIPCore
import SIPTransaction

/// How long leg B's INVITE may go without an answer: Timer C (RFC 3261
/// 16.6 step 11, restarted by each 101-199), a per-target no-answer
/// timeout from the first ringing, and a per-target limit for the first
/// provisional response (a carrier that sends none is taken for dead).
extension B2BUA {
    enum LegBTimer: Hashable, CustomStringConvertible {
        /// Timer C: counts as a 408 (RFC 3261 16.8).
        case ringTimeout
        /// No provisional response in the target's `provisionalTimeout`: a 408.
        case noProvisional
        /// Rang for the target's `noAnswerTimeout`: a 480, failed over by `FailoverPolicy.noAnswer`.
        case noAnswer

        var description: String {
            switch self {
            case .ringTimeout: "ring timeout"
            case .noProvisional: "no provisional"
            case .noAnswer: "no answer"
            }
        }
    }

    /// A new INVITE left on leg B: its timers start afresh.
    func armRingTimers(_ call: B2BUACall) {
        cancelRingTimers(call)
        call.carrier.ringing = false
        schedule(call, .legB(.ringTimeout), in: Self.milliseconds(call.request.ringTimeout))
        if let limit = call.target?.provisionalTimeout { schedule(call, .legB(.noProvisional), in: Self.milliseconds(limit)) }
    }

    func cancelRingTimers(_ call: B2BUACall) {
        for timer in [LegBTimer.ringTimeout, .noProvisional, .noAnswer] { cancelTimer(call, .legB(timer)) }
    }

    /// A response to the current leg B INVITE: any provisional shows the
    /// carrier alive, a 101-199 restarts Timer C (16.7 step 2) and, the
    /// first time, starts the no-answer timeout; a final stops them all.
    func observeRinging(_ call: B2BUACall, status: Int) {
        guard status < 200 else { return cancelRingTimers(call) }
        cancelTimer(call, .legB(.noProvisional))
        guard status > 100 else { return }
        schedule(call, .legB(.ringTimeout), in: Self.milliseconds(call.request.ringTimeout))
        guard !call.carrier.ringing else { return }
        call.carrier.ringing = true
        if let limit = call.target?.noAnswerTimeout { schedule(call, .legB(.noAnswer), in: Self.milliseconds(limit)) }
    }

    /// A leg B timeout: the INVITE is cancelled (RFC 3261 9.1: once a
    /// provisional came) and the next candidate tried when the policy says
    /// so; else A gets the 408 or 480 now and the call ends with B's final response.
    func ringTimerFired(_ call: B2BUACall, _ timer: LegBTimer) {
        guard call.phase == .calling, !call.cancelled, !call.aFinalSent, let transaction = call.bTransaction, let invite = call.bInvite else { return }
        cancelRingTimers(call)
        statistics.ringTimeouts += 1
        let status = timer == .noAnswer ? 480 : 408
        let reason = timer == .noAnswer ? "Temporarily Unavailable" : "Request Timeout"
        let failsOver = timer == .noAnswer ? call.failover.noAnswer : call.failover.failsOver(408)
        log(call, "leg B timeout", ["timer": "\(timer)", "status": "\(status)"])
        noteAttemptStatus(call, status, reason)
        let cancelled = layer.cancel(transaction) != nil
        if failsOver, call.candidate + 1 < call.request.candidates.count {
            call.carrier.abandoned[transaction] = invite
            statistics.failovers += 1
            log(call, "failover", ["status": "\(status)", "candidate": "\(call.candidate + 1)"])
            return startNextCandidate(call)
        }
        respondToA(call, status: status, reason: reason)
        if !cancelled { end(call) }
    }

    static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return max(0, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
