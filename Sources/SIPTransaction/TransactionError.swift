import SIPCore

/// Why the layer refused a request the TU asked it to send; each becomes a
/// 500 at the TU, since the TU built the request.
public enum TransactionError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The message is a response, or an ACK (ACKs for 2xx are sent without a transaction, RFC 3261 17.1.1.3).
    case notATransactionRequest(String)
    /// The top Via, its branch or CSeq is missing or malformed (RFC 3261 8.1.1.7 requires the cookie).
    case malformedRequest(SIPParseError)
    /// A client transaction with this branch and method exists already.
    case duplicateBranch(String)

    public var status: Int { 500 }

    public var description: String {
        switch self {
        case .notATransactionRequest(let what): return "not a transaction request: \(what)"
        case .malformedRequest(let error): return "malformed request: \(error)"
        case .duplicateBranch(let key): return "duplicate client transaction \(key)"
        }
    }
}
