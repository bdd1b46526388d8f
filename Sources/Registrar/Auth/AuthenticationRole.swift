import SIPCore

/// Who asks for credentials: a registrar or UAS answers 401 with
/// WWW-Authenticate and reads Authorization; a proxy answers 407 with
/// Proxy-Authenticate and reads Proxy-Authorization (RFC 3261 sections 22.2, 22.3).
public enum AuthenticationRole: Sendable, Hashable {
    case userAgentServer
    case proxy

    public var challengeStatus: Int {
        switch self {
        case .userAgentServer: 401
        case .proxy: 407
        }
    }

    public var challengeHeader: HeaderName {
        switch self {
        case .userAgentServer: .wwwAuthenticate
        case .proxy: .proxyAuthenticate
        }
    }

    public var credentialsHeader: HeaderName {
        switch self {
        case .userAgentServer: .authorization
        case .proxy: .proxyAuthorization
        }
    }

    /// The credentials of `message` this role reads.
    public func credentials(of message: SIPMessage) throws(SIPParseError) -> [AuthenticationParameters] {
        switch self {
        case .userAgentServer: try message.authorization()
        case .proxy: try message.proxyAuthorization()
        }
    }
}
