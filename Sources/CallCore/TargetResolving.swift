import SIPCore
import SIPTransport

/// Turns the next-hop URI into where to send (RFC 3263). The transport
/// layer's resolver implements it; numeric hosts need no resolver.
///
/// The proxy runs on a shard's queue, which a DNS lookup must not block:
/// `knownTargets` answers only what needs no network; `resolve` does the
/// rest elsewhere and calls back on the shard's queue.
public protocol TargetResolving: Sendable {
    /// The targets when known without waiting (numeric host, cached answer),
    /// empty when there are none; nil when only a lookup can tell.
    func knownTargets(for uri: SIPURI) -> [OutboundTarget]?
    /// Looks `uri` up without blocking; `completion` runs later on the
    /// queue of the proxy core using this resolver, never before this returns.
    func resolve(_ uri: SIPURI, completion: @escaping @Sendable ([OutboundTarget]) -> Void)
}

/// Numeric hosts only: `sip:192.0.2.1:5080;transport=tcp` → that address.
public struct NumericTargetResolver: TargetResolving {
    public init() {}

    public func knownTargets(for uri: SIPURI) -> [OutboundTarget]? {
        guard uri.hostKind == .ipv4 || uri.hostKind == .ipv6 else { return [] }
        let transport: TransportProtocol =
            uri.scheme == .sips ? .tls : (uri.transport.flatMap { TransportProtocol(token: $0) } ?? .udp)
        let host = uri.maddr ?? uri.host
        guard let address = SocketAddress(ip: host, port: uri.port ?? transport.defaultPort) else { return [] }
        return [OutboundTarget(transport: transport, address: address)]
    }

    /// Never needed: every answer is known at once.
    public func resolve(_ uri: SIPURI, completion: @escaping @Sendable ([OutboundTarget]) -> Void) {
        preconditionFailure("NumericTargetResolver knows every answer without a lookup")
    }
}
