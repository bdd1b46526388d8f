import CallCore
import Routing
import SwitchboardServer

/// Records as a B2BUA would hand them over, for the CDR tests.
enum CDRSamples {
    /// 2025-03-01T14:05:09Z.
    static let march1 = 1_740_837_909.0

    /// An answered trunk call that failed over once: Twilio refused, Vonage answered after 10 s and talked 61.2 s.
    static func answered(uuid: String = "0f8e-answered", start: Double = march1) -> CDREntry {
        let rate = Rate(perMinute: Money(decimal: "0.0120")!, increment: BillingIncrement(initial: 60, subsequent: 6)!)
        let answer = start + 10
        let end = answer + 61.2
        let duration = CallDetailRecord.billableSeconds(answer: answer, end: end)
        let call = CallDetailRecord(
            callID: "a84b4c76e66710@pbx.example.com", callUUID: uuid, callClass: .trunk, caller: "+14155550100",
            dialled: "0044 20 7946 0018", callee: "+442079460018", source: "pbx-hq", startTime: start, answerTime: answer,
            endTime: end, status: 200, reason: "OK", cause: .normalClearing, carrier: "vonage",
            cost: CallCost(rate: rate, seconds: duration, currency: "USD"),
            media: MediaCounters(
                packetsFromCaller: 3060, bytesFromCaller: 526_320, packetsToCaller: 3055, bytesToCaller: 525_460, packetsLost: 4))
        let attempts = [
            CallAttemptRecord(
                callUUID: uuid, index: 0, carrier: "twilio", target: "sip:+442079460018@example.pstn.twilio.com;transport=tls",
                startTime: start + 0.01, provisionalTime: nil, answerTime: nil, endTime: start + 0.4, status: 503,
                reason: "Service Unavailable", failedOver: true),
            CallAttemptRecord(
                callUUID: uuid, index: 1, carrier: "vonage", target: "sip:+442079460018@sip.nexmo.com", startTime: start + 0.4,
                provisionalTime: start + 1.5, answerTime: answer, endTime: end, status: 200, reason: "OK", failedOver: false),
        ]
        return CDREntry(call: call, attempts: attempts)
    }

    /// A call the caller cancelled while it rang, with text that needs CSV quoting.
    static func cancelled(uuid: String = "1a2b-cancelled", start: Double = march1 + 3600) -> CDREntry {
        let call = CallDetailRecord(
            callID: "call,with \"quotes\"\r\nand lines", callUUID: uuid, callClass: .trunk, caller: "Bob, \"the\" builder",
            dialled: "5551234", callee: nil, source: "alice", startTime: start, answerTime: nil, endTime: start + 7.5,
            status: 487, reason: "Request Terminated", cause: .callerCancel, carrier: nil, cost: nil)
        let attempt = CallAttemptRecord(
            callUUID: uuid, index: 0, carrier: "plivo", target: "sip:5551234@phone.plivo.com", startTime: start + 0.02,
            provisionalTime: start + 0.9, answerTime: nil, endTime: start + 7.5, status: 487, reason: "Request Terminated",
            failedOver: false)
        return CDREntry(call: call, attempts: [attempt])
    }
}
