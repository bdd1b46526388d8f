import SIPCore
import SIPTransaction
import SIPTransport

/// Answers a request here instead of routing it: the registrar takes
/// REGISTER for a local domain, authentication challenges requests from
/// untrusted sources. Asked in order before the route decision; called on
/// the shard's queue.
public protocol RequestInterceptor: Sendable {
    func intercept(_ request: SIPMessage, inbound: InboundMessage, reply: ResponseHandle) -> InterceptOutcome
}

/// What an interceptor did with a request.
public enum InterceptOutcome: Sendable, Equatable {
    /// Not for this interceptor: the next one, then the route decision.
    case proceed
    /// Answered now, or the handle answers later (after a store write).
    case answered
    /// Authenticated as this user; routing continues (the identity goes in logs and CDRs).
    case authenticated(user: String)
}

/// Sends the final response of one server transaction from any thread:
/// the response is handed to the shard's queue.
public struct ResponseHandle: Sendable {
    let send: @Sendable (SIPMessage) -> Void

    public init(send: @escaping @Sendable (SIPMessage) -> Void) {
        self.send = send
    }

    public func callAsFunction(_ response: SIPMessage) { send(response) }
}
