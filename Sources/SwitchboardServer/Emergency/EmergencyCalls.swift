import Routing
import CallCore
import Emergency
import Foundation
import Logging
import SIPCore
import Synchronization

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What Switchboard keeps and does around emergency calls, shared by every
/// shard: the Kari's Law notifications (front-desk MESSAGE and webhook,
/// sent without delaying the call), the callback windows that bring a
/// PSAP's call back to the caller, and the recent emergency calls for
/// `ctl emergency`.
final class EmergencyCalls: Sendable {
    private struct State {
        var window: CallbackWindow
        var recent: [CallDetailRecord] = []
        var capacity: Int
    }

    private let state: Mutex<State>
    private let logger: Logger
    /// Sends a SIP MESSAGE with a text body; installed by the SIP service once it runs.
    private let messenger = Mutex<Messenger?>(nil)

    /// The sender in a class: a closure kept in a `Mutex` directly gains one
    /// more reabstraction thunk at every `withLock` that yields it `inout`.
    private final class Messenger: Sendable {
        let send: @Sendable (SIPURI, String) -> Void
        init(_ send: @escaping @Sendable (SIPURI, String) -> Void) { self.send = send }
    }

    init(policy: EmergencyPolicy, logger: Logger) {
        state = Mutex(State(window: policy.makeCallbackWindow(), capacity: max(1, policy.recordRingCapacity)))
        self.logger = logger
    }

    func setMessenger(_ send: @escaping @Sendable (SIPURI, String) -> Void) {
        let messenger = Messenger(send)
        self.messenger.withLock { $0 = messenger }
    }

    /// A reloaded policy: a new window length and ring size; open windows stay.
    func apply(_ policy: EmergencyPolicy) {
        state.withLock {
            $0.window.duration = policy.callbackWindow
            $0.capacity = max(1, policy.recordRingCapacity)
        }
    }

    /// An emergency call is being placed: the callback window opens and the notifications go out.
    func started(_ plan: EmergencyCallPlan, callID: String, callerAOR: String) {
        let caller = plan.notification.caller
        if let number = plan.attempts.first?.identity?.callbackNumber {
            state.withLock { $0.window.open(for: number, target: callerAOR, callID: callID, at: Date()) }
        }
        logger.critical(
            "emergency call",
            metadata: [
                "call-id": "\(callID)", "caller": "\(caller)", "dialled": "\(plan.notification.dialled)",
                "location": "\(plan.notification.location ?? "none")", "sbc": "\(plan.attempts.first.map { "\($0.sbc)" } ?? "-")",
            ])
        for target in plan.notificationTargets {
            switch target {
            case .message(let uri):
                if let messenger = messenger.withLock({ $0 }) {
                    messenger.send(uri, plan.notification.messageText)
                } else {
                    logger.error("emergency MESSAGE not sent: SIP not running", metadata: ["to": "\(uri)"])
                }
            case .webhook(let webhook):
                post(plan.notification, to: webhook)
            }
        }
    }

    /// No route at all for an emergency call: said as loudly as a log can.
    func alert(_ problem: String, callID: String, caller: String) {
        logger.critical("emergency call NOT routed", metadata: ["call-id": "\(callID)", "caller": "\(caller)", "problem": "\(problem)"])
    }

    /// The caller's AOR when `number` called 911 within the callback window.
    func callbackTarget(for number: E164Number) -> String? {
        state.withLock { s in
            _ = s.window.expire(at: Date())
            return s.window.target(for: number, at: Date())
        }
    }

    /// Keeps an ended emergency call's record for `ctl emergency`.
    func ended(_ record: CallDetailRecord) {
        state.withLock { s in
            s.recent.append(record)
            if s.recent.count > s.capacity { s.recent.removeFirst(s.recent.count - s.capacity) }
        }
    }

    /// The most recent emergency calls, newest first.
    func recent() -> [CallDetailRecord] {
        state.withLock { $0.recent.reversed() }
    }

    private func post(_ notification: EmergencyNotification, to webhook: EmergencyWebhook) {
        guard let url = URL(string: "http://\(webhook.host.contains(":") ? "[\(webhook.host)]" : webhook.host):\(webhook.port)\(webhook.target)"),
            let body = try? notification.json()
        else { return }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let logger = logger
        let task = URLSession.shared.uploadTask(with: request, from: Data(body)) { _, response, error in
            let status = (response as? HTTPURLResponse)?.statusCode
            if let error {
                logger.error("emergency webhook failed", metadata: ["url": "\(url)", "error": "\(error.localizedDescription)"])
            } else if let status, !(200..<300).contains(status) {
                logger.error("emergency webhook refused", metadata: ["url": "\(url)", "status": "\(status)"])
            }
        }
        task.resume()
    }
}
