/// Why least-cost routing refused a number; carries the SIP status the call core answers with.
public enum RouteRejection: Error, Sendable, Hashable, CustomStringConvertible {
    /// The number starts with a blocked prefix: 403 Forbidden.
    case blocked(prefix: String, reason: String)
    /// A time-of-day rule blocks the number now: 403 Forbidden.
    case blockedAtThisTime(reason: String)
    /// No carrier has a rate for the number and no pin covers it: 404 Not Found.
    case noRoute(E164Number)

    public var sipStatus: Int {
        switch self {
        case .blocked, .blockedAtThisTime: 403
        case .noRoute: 404
        }
    }

    public var description: String {
        switch self {
        case .blocked(let prefix, let reason): "destination blocked (prefix \(prefix): \(reason))"
        case .blockedAtThisTime(let reason): "destination blocked at this time (\(reason))"
        case .noRoute(let number): "no route to \(number)"
        }
    }
}
