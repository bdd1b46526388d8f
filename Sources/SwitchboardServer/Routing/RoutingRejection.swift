import Routing

/// Why a call cannot be routed to a carrier; carries the SIP status the call core answers with.
public enum RoutingRejection: Error, Hashable, Sendable, CustomStringConvertible {
    /// No `[[carrier]]` is configured and enabled: 404 Not Found.
    case notConfigured
    /// The dialled string is no number of the caller's dial plan: 484 or 404.
    case number(NumberError, dialPlan: String)
    /// A service code (`911`, `999`) of the caller's dial plan: the emergency
    /// policy routes it, never the rate decks. 404 Not Found if it gets here.
    case serviceCode(String, dialPlan: String)
    /// Blocked, blocked at this time, or no carrier prices the number: 403 or 404.
    case route(RouteRejection)

    public var sipStatus: Int {
        switch self {
        case .notConfigured: 404
        case .number(let error, _): error.sipStatus
        case .serviceCode: 404
        case .route(let rejection): rejection.sipStatus
        }
    }

    /// The reason phrase of the rejection's response (the detail stays in `description`, for logs).
    public var reasonPhrase: String {
        switch sipStatus {
        case 403: "Forbidden"
        case 484: "Address Incomplete"
        default: "Not Found"
        }
    }

    public var description: String {
        switch self {
        case .notConfigured: "least-cost routing is not configured (no enabled [[carrier]])"
        case .number(let error, let plan): "\(error) (dial plan \(plan))"
        case .serviceCode(let code, let plan): "\(code) is a service code of dial plan \(plan), not routed by rate"
        case .route(let rejection): rejection.description
        }
    }
}
