import Registrar
import SIPCore
import SIPTransport

/// Takes REGISTER requests whose Request-URI names one of our domains or
/// addresses (RFC 3261 10.3); other REGISTERs are routed like any request.
public struct RegistrarInterceptor: RequestInterceptor {
    let service: RegistrarService
    let identity: ProxyIdentity

    public init(service: RegistrarService, identity: ProxyIdentity) {
        self.service = service
        self.identity = identity
    }

    public func intercept(_ request: SIPMessage, inbound: InboundMessage, reply: ResponseHandle) -> InterceptOutcome {
        guard request.method == .register, let uri = try? request.requestURI(),
            identity.isLocalDomain(uri) || identity.isLocal(uri)
        else { return .proceed }
        service.accept(request, inbound: inbound, reply: reply)
        return .answered
    }
}

/// Challenges out-of-dialog requests from untrusted sources (RFC 3261
/// 22.3). ACK and CANCEL cannot be challenged (22.1) and in-dialog requests
/// follow a dialog that was authenticated when it began.
public struct AuthenticationInterceptor: RequestInterceptor {
    let service: RegistrarService

    public init(service: RegistrarService) {
        self.service = service
    }

    public func intercept(_ request: SIPMessage, inbound: InboundMessage, reply: ResponseHandle) -> InterceptOutcome {
        switch request.method {
        case .ack, .cancel, .register: return .proceed
        default: break
        }
        if ((try? request.to().tag) ?? nil) != nil { return .proceed }
        return service.authenticate(request, inbound: inbound, reply: reply)
    }
}

/// Requests for a user of one of our domains go to the contacts registered
/// for that AOR (RFC 3261 16.5 with the location service); 480 when it has
/// none. A user at one of our addresses (`sip:alice@192.0.2.1`) goes to its
/// contacts when it has some, else to the static routes, like any other
/// request. Unless `localCalls` is `never`, an INVITE to a registered user
/// is bridged through the B2BUA (its media anchored per `LocalCallMedia`)
/// instead of proxied.
public struct LocationRouteDecision: RouteDecision {
    let service: RegistrarService
    let identity: ProxyIdentity
    let fallback: any RouteDecision
    let localCalls: LocalCallMedia

    public init(service: RegistrarService, identity: ProxyIdentity, fallback: any RouteDecision, localCalls: LocalCallMedia = .never) {
        self.service = service
        self.identity = identity
        self.fallback = fallback
        self.localCalls = localCalls
    }

    public func route(_ request: SIPMessage, requestURI: SIPURI) -> RouteOutcome {
        route(request, requestURI: requestURI, context: nil)
    }

    public func route(_ request: SIPMessage, requestURI: SIPURI, context: RouteContext) -> RouteOutcome {
        route(request, requestURI: requestURI, context: Optional(context))
    }

    private func route(_ request: SIPMessage, requestURI: SIPURI, context: RouteContext?) -> RouteOutcome {
        func next() -> RouteOutcome {
            guard let context else { return fallback.route(request, requestURI: requestURI) }
            return fallback.route(request, requestURI: requestURI, context: context)
        }
        guard requestURI.user != nil, requestURI.scheme == .sip || requestURI.scheme == .sips else {
            return next()
        }
        if identity.isLocalDomain(requestURI) {
            guard let targets = service.targets(for: requestURI) else {
                return .reject(status: 480, reason: "Temporarily Unavailable")
            }
            return outcome(request, targets, context)
        }
        if identity.isOwnAddress(requestURI), let targets = service.targets(for: requestURI) {
            return outcome(request, targets, context)
        }
        return next()
    }

    /// Forwarded to the contacts, or bridged when local calls get the B2BUA.
    private func outcome(_ request: SIPMessage, _ targets: [[ForwardTarget]], _ context: RouteContext?) -> RouteOutcome {
        guard localCalls != .never, request.method == .invite else { return .forward(targets) }
        return .bridge(localCalls.bridge(request, targets: targets, caller: context?.user))
    }
}
