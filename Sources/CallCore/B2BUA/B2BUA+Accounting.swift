import Foundation
import SIPCore

/// What the B2BUA keeps of a call for its records and for the observer
/// (limits, circuit breakers, CDRs): each attempt's times and outcome, the
/// status A got, why the call ended.
struct CallLedger {
    struct Attempt {
        var index: Int
        var target: B2BUATarget
        var start: Double
        var provisional: Double?
        var answer: Double?
        var end: Double?
        var status = 0
        var reason = ""
        var failedOver = false
    }

    var start = Date().timeIntervalSince1970
    var answer: Double?
    var attempts: [Attempt] = []
    /// The final status leg A got.
    var status = 0
    var reason = ""
    /// Set where the B2BUA itself ends an answered call (media timeout, session expiry, no ACK).
    var cause: CallEndCause?
    /// The last status that ended an attempt (a final response, a timeout, a refusal).
    var attemptStatus: (status: Int, reason: String) = (503, "Service Unavailable")
    var uuid = UUID().uuidString.lowercased()
}

extension B2BUA {
    static func wallNow() -> Double { Date().timeIntervalSince1970 }

    /// Asks the observer whether the current candidate may be called now.
    func admission(_ call: B2BUACall, _ target: B2BUATarget) -> AttemptAdmission {
        guard let observer = settings.observer else { return .admit }
        return observer.admit(target, emergency: target.emergency || call.request.accounting.callClass == .emergency)
    }

    func attemptStarted(_ call: B2BUACall, _ target: B2BUATarget) {
        call.ledger.attempts.append(.init(index: call.candidate, target: target, start: Self.wallNow()))
    }

    func attemptProvisional(_ call: B2BUACall) {
        guard let last = call.ledger.attempts.indices.last, call.ledger.attempts[last].provisional == nil else { return }
        call.ledger.attempts[last].provisional = Self.wallNow()
    }

    func attemptAnswered(_ call: B2BUACall) {
        guard let last = call.ledger.attempts.indices.last, call.ledger.attempts[last].answer == nil else { return }
        let now = Self.wallNow()
        call.ledger.attempts[last].answer = now
        call.ledger.answer = now
        settings.observer?.attemptEnded(call.ledger.attempts[last].target, status: 200, answered: true)
    }

    /// Notes why the current attempt is ending, before failover or the answer to A.
    func noteAttemptStatus(_ call: B2BUACall, _ status: Int, _ reason: String) {
        call.ledger.attemptStatus = (status, reason)
    }

    /// The current attempt ended without an answer.
    func attemptFailed(_ call: B2BUACall, status: Int, reason: String, failedOver: Bool) {
        guard let last = call.ledger.attempts.indices.last, call.ledger.attempts[last].end == nil,
            call.ledger.attempts[last].answer == nil
        else { return }
        call.ledger.attempts[last].end = Self.wallNow()
        call.ledger.attempts[last].status = status
        call.ledger.attempts[last].reason = reason
        call.ledger.attempts[last].failedOver = failedOver
        settings.observer?.attemptEnded(call.ledger.attempts[last].target, status: status, answered: false)
    }

    /// The call's records, handed to the observer when the call ends.
    func recordEnd(_ call: B2BUACall) {
        guard let observer = settings.observer else { return }
        let end = Self.wallNow()
        if let last = call.ledger.attempts.indices.last, call.ledger.attempts[last].end == nil {
            if call.ledger.attempts[last].answer == nil {
                let (status, reason) = call.cancelled ? (487, "Request Terminated") : call.ledger.attemptStatus
                attemptFailed(call, status: status, reason: reason, failedOver: false)
            } else {
                call.ledger.attempts[last].end = end
                call.ledger.attempts[last].status = 200
                call.ledger.attempts[last].reason = "OK"
            }
        }
        let ledger = call.ledger
        let answered = ledger.attempts.last { $0.answer != nil }
        let accounting = call.request.accounting
        let seconds = CallDetailRecord.billableSeconds(answer: ledger.answer, end: end)
        let cost = answered?.target.carrier?.rate.map { CallCost(rate: $0, seconds: seconds, currency: accounting.currency) }
        let record = CallDetailRecord(
            callID: call.aDialog.callID, callUUID: ledger.uuid, callClass: accounting.callClass, caller: accounting.caller,
            dialled: accounting.dialled, callee: accounting.callee, source: accounting.source, startTime: ledger.start,
            answerTime: ledger.answer, endTime: end, duration: seconds, status: ledger.status == 0 ? 500 : ledger.status,
            reason: ledger.reason, cause: cause(of: call), carrier: answered?.target.carrier?.name, cost: cost)
        let attempts = ledger.attempts.map { a in
            CallAttemptRecord(
                callUUID: ledger.uuid, index: a.index, carrier: a.target.carrier?.name ?? "", target: a.target.target.uri.description,
                startTime: a.start, provisionalTime: a.provisional, answerTime: a.answer, endTime: a.end ?? end, status: a.status,
                reason: a.reason, failedOver: a.failedOver)
        }
        observer.callEnded(record, attempts: attempts, answered: answered?.target)
        observer.callReleased(accounting)
    }

    private func cause(of call: B2BUACall) -> CallEndCause {
        let ledger = call.ledger
        if let cause = ledger.cause { return cause }
        if ledger.answer != nil { return .normalClearing }
        if call.cancelled { return .callerCancel }
        switch ledger.status {
        case 486, 600: return .busy
        case 408, 480: return .noAnswer
        case 488, 420: return .rejected
        default:
            if ledger.attempts.count > 1 && ledger.attempts.allSatisfy(\.failedOver) { return .failoverExhausted }
            return ledger.attempts.isEmpty ? .localFailure : .carrierRefused
        }
    }
}
