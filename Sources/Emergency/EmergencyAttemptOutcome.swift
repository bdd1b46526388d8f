/// How one attempt to deliver an emergency call ended.
public enum EmergencyAttemptOutcome: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A 2xx: the PSAP (or the 933 read-back) answered.
    case answered
    /// Ringing or early media arrived; the attempt is kept, never abandoned
    /// for the next SBC, and it ended with this final status (or caller hang-up: 487).
    case endedAfterProgress(status: Int)
    /// A final non-2xx response before any progress.
    case rejected(status: Int)
    /// Nothing at all came back before the attempt timeout (Timer B territory).
    case noResponse
    /// Only 100 Trying came back before the attempt timeout.
    case noAnswer
    /// The transport could not send (ICMP unreachable, TCP reset, no route).
    case transportFailure
    /// The caller hung up before any progress.
    case cancelledByCaller

    public var description: String {
        switch self {
        case .answered: return "answered"
        case .endedAfterProgress(let s): return "ended-after-progress \(s)"
        case .rejected(let s): return "rejected \(s)"
        case .noResponse: return "no-response"
        case .noAnswer: return "no-answer"
        case .transportFailure: return "transport-failure"
        case .cancelledByCaller: return "cancelled-by-caller"
        }
    }
}
