import SIPTransport

/// Why a client transaction ended without a final response; the TU treats
/// it as the response named by `statusCode` (RFC 3261 8.1.3.1, 17.1.4).
public enum ClientTransactionFailure: Error, Sendable, CustomStringConvertible {
    /// Timer B or F fired: treated as 408 Request Timeout.
    case timeout
    /// The transport could not deliver the request: treated as 503 Service Unavailable.
    case transport(TransportFailure)

    public var statusCode: Int {
        switch self {
        case .timeout: return 408
        case .transport: return 503
        }
    }

    public var reasonPhrase: String {
        switch self {
        case .timeout: return "Request Timeout"
        case .transport: return "Service Unavailable"
        }
    }

    public var description: String {
        switch self {
        case .timeout: return "408 transaction timeout"
        case .transport(let failure): return "503 transport failure: \(failure)"
        }
    }
}
