import SIPCore
import SIPTransport

/// One place to send a request: the new Request-URI, the Route set to put
/// in front of it (a registered contact's Path, RFC 3327 section 5.3), and
/// the flow it must go over when the contact sits behind a NAT or
/// registered an outbound flow (RFC 5626 section 5.3).
public struct ForwardTarget: Sendable, Equatable {
    public var uri: SIPURI
    public var routeSet: [String]
    public var flow: OutboundTarget?

    public init(uri: SIPURI, routeSet: [String] = [], flow: OutboundTarget? = nil) {
        self.uri = uri
        self.routeSet = routeSet
        self.flow = flow
    }
}

/// Where a request goes: the decision point that static routes, the
/// registrar's location service and least-cost routing all answer.
public enum RouteOutcome: Sendable, Equatable {
    /// Forward to these targets. Groups are tried one after another (serial
    /// forking); the targets of a group are tried at once (parallel forking),
    /// RFC 3261 16.5-16.6.
    case forward([[ForwardTarget]])
    /// Answer with this final response.
    case reject(status: Int, reason: String)
    /// Bridge the call through the B2BUA: an INVITE is answered here and a
    /// new call placed to the candidates in turn. Without a B2BUA, or for
    /// another method, the candidates are forwarded to one after another.
    case bridge(B2BUARequest)

    /// Forward to plain URIs (no Route set, no pinned flow).
    public static func forward(uris groups: [[SIPURI]]) -> RouteOutcome {
        .forward(groups.map { $0.map { ForwardTarget(uri: $0) } })
    }
}

/// Who sent a request being routed: where it came from and, when it
/// authenticated, as which user (per-source dial plans, caller identity).
public struct RouteContext: Sendable {
    public var inbound: InboundMessage
    public var user: String?

    public init(inbound: InboundMessage, user: String? = nil) {
        self.inbound = inbound
        self.user = user
    }
}

/// Decides where an out-of-dialog request goes. Implementations are
/// immutable values read on the shard's queue.
public protocol RouteDecision: Sendable {
    func route(_ request: SIPMessage, requestURI: SIPURI) -> RouteOutcome
    /// The decision for a request from a known sender; by default the sender does not matter.
    func route(_ request: SIPMessage, requestURI: SIPURI, context: RouteContext) -> RouteOutcome
}

extension RouteDecision {
    public func route(_ request: SIPMessage, requestURI: SIPURI, context: RouteContext) -> RouteOutcome {
        route(request, requestURI: requestURI)
    }
}

/// Static routes from configuration: the first rule whose pattern matches
/// the Request-URI host wins; no match gets the default outcome.
public struct RouteTable: RouteDecision {
    public struct Rule: Sendable, Equatable {
        /// `example.com` matches that host; `*.example.com` matches any host below it; `*` matches all.
        public var domain: String
        /// Optional user-part prefix (`+1`, `911`), compared on the unescaped user.
        public var userPrefix: String?
        public var outcome: RouteOutcome

        public init(domain: String, userPrefix: String? = nil, outcome: RouteOutcome) {
            self.domain = domain.lowercased()
            self.userPrefix = userPrefix
            self.outcome = outcome
        }

        func matches(_ uri: SIPURI) -> Bool {
            let host = uri.host.lowercased()
            let domainMatches: Bool
            if domain == "*" {
                domainMatches = true
            } else if domain.hasPrefix("*.") {
                domainMatches = host.hasSuffix(domain.dropFirst())
            } else {
                domainMatches = host == domain
            }
            guard domainMatches else { return false }
            if let userPrefix { return (uri.user ?? "").hasPrefix(userPrefix) }
            return true
        }
    }

    public var rules: [Rule]
    public var fallback: RouteOutcome

    public init(rules: [Rule], fallback: RouteOutcome = .reject(status: 404, reason: "Not Found")) {
        self.rules = rules
        self.fallback = fallback
    }

    public func route(_ request: SIPMessage, requestURI: SIPURI) -> RouteOutcome {
        matchingRule(for: requestURI)?.outcome ?? fallback
    }

    /// The first rule that matches, nil when only the fallback applies.
    public func matchingRule(for uri: SIPURI) -> Rule? {
        rules.first { $0.matches(uri) }
    }
}
