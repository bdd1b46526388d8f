import SIPCore
import SIPTransport

/// How this proxy names itself on the wire: the addresses it puts in Via and
/// Record-Route, and the hosts it recognises as itself in Route and
/// Request-URI (RFC 3261 16.4).
public struct ProxyIdentity: Sendable {
    /// One listening address per transport, as written in Record-Route and Via.
    public var listeners: [TransportProtocol: SocketAddress]
    /// Domains this node is responsible for (lower-cased), besides its addresses.
    public var domains: Set<String>

    public init(listeners: [TransportProtocol: SocketAddress], domains: Set<String> = []) {
        self.listeners = listeners
        self.domains = domains
    }

    /// Whether `uri` names this proxy: one of our addresses (with our port,
    /// or no port where we listen on the default one) or a local domain.
    public func isLocal(_ uri: SIPURI) -> Bool {
        guard uri.scheme == .sip || uri.scheme == .sips else { return false }
        let host = uri.host.lowercased()
        if uri.hostKind == .name { return (domains.contains(host) && uri.user == nil) || isOwnAddressName(host, uri) }
        for (transport, address) in listeners where address.ip == normalized(host, uri.hostKind) {
            let port = uri.port ?? (uri.scheme == .sips ? 5061 : transport.defaultPort)
            if port == address.port { return true }
        }
        return false
    }

    /// Whether `uri` names one of our listening addresses (not merely a local domain).
    public func isOwnAddress(_ uri: SIPURI) -> Bool {
        guard uri.hostKind != .name || uri.host.lowercased() == "localhost" else { return false }
        return isLocal(uri)
    }

    /// Whether the Request-URI's host is one of our domains (the request is for a user here).
    public func isLocalDomain(_ uri: SIPURI) -> Bool {
        uri.hostKind == .name && domains.contains(uri.host.lowercased())
    }

    private func isOwnAddressName(_ host: String, _ uri: SIPURI) -> Bool {
        host == "localhost" && listeners.values.contains { $0.ip == "127.0.0.1" && $0.port == (uri.port ?? 5060) }
    }

    private func normalized(_ host: String, _ kind: SIPURI.HostKind) -> String {
        guard kind == .ipv6, let a = SocketAddress(ip: host, port: 0) else { return host }
        return a.ip
    }

    /// The Record-Route value for requests leaving over `transport`
    /// (RFC 3261 16.6 step 4: `lr`, our address, the transport).
    public func recordRoute(for transport: TransportProtocol) -> String? {
        guard let address = listeners[transport] ?? listeners.values.first else { return nil }
        let scheme = transport == .tls ? "sips" : "sip"
        let param = transport == .udp ? "" : ";transport=\(transport.rawValue)"
        return "<\(scheme):\(address.hostText):\(address.port)\(param);lr>"
    }
}
