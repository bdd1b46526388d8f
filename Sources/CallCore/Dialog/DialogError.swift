import SIPCore

/// Why a message could not create or enter a dialog, with the status the
/// request is answered with (RFC 3261 12.1, 12.2.2).
public enum DialogError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No dialog matches an in-dialog request: 481 (12.2.2).
    case doesNotExist
    /// A request's CSeq is below the remote sequence number: 500 (12.2.2).
    case cseqOutOfOrder(received: UInt32, last: UInt32)
    /// A header the dialog needs is missing or malformed (a tag, Contact, CSeq): 400.
    case malformed(String)

    public var status: Int {
        switch self {
        case .doesNotExist: return 481
        case .cseqOutOfOrder: return 500
        case .malformed: return 400
        }
    }

    public var reason: String {
        switch self {
        case .doesNotExist: return "Call/Transaction Does Not Exist"
        case .cseqOutOfOrder: return "Server Internal Error"
        case .malformed(let what): return "Bad Request: \(what)"
        }
    }

    public var description: String {
        switch self {
        case .doesNotExist: return "481 no such dialog"
        case .cseqOutOfOrder(let received, let last): return "500 CSeq \(received) below \(last)"
        case .malformed(let what): return "400 \(what)"
        }
    }
}
