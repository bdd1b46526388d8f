import SIPCore

/// Where the Kari's Law notification of an emergency call is sent.
public enum EmergencyNotificationTarget: Hashable, Sendable, CustomStringConvertible {
    /// A SIP MESSAGE (RFC 3428) with `EmergencyNotification.messageText` to a front desk.
    case message(SIPURI)
    /// An HTTP POST of `EmergencyNotification.json()`.
    case webhook(EmergencyWebhook)

    public var description: String {
        switch self {
        case .message(let uri): return "message \(uri)"
        case .webhook(let url): return "webhook \(url)"
        }
    }
}
