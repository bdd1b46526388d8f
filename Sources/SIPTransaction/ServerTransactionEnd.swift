import SIPTransport

/// How a server transaction ended, told to the TU so it can clean up.
public enum ServerTransactionEnd: Sendable, CustomStringConvertible {
    /// The ordinary end: Timer I, J or L fired (or at once over a reliable transport).
    case completed
    /// Timer H fired: no ACK came for a 300–699 to an INVITE (RFC 3261 17.2.1).
    case ackTimeout
    /// A response could not be delivered (RFC 3261 17.2.4).
    case transport(TransportFailure)

    public var description: String {
        switch self {
        case .completed: return "completed"
        case .ackTimeout: return "no ACK (timer H)"
        case .transport(let failure): return "transport failure: \(failure)"
        }
    }
}
