import SIPCore
import SIPTransport

/// Turns the next-hop URI into where to send (RFC 3263). The transport
/// layer's resolver implements it; numeric hosts need no resolver.
public protocol TargetResolving: Sendable {
    func targets(for uri: SIPURI) -> [OutboundTarget]
}

/// Numeric hosts only: `sip:192.0.2.1:5080;transport=tcp` → that address.
public struct NumericTargetResolver: TargetResolving {
    public init() {}

    public func targets(for uri: SIPURI) -> [OutboundTarget] {
        guard uri.hostKind == .ipv4 || uri.hostKind == .ipv6 else { return [] }
        let transport: TransportProtocol =
            uri.scheme == .sips ? .tls : (uri.transport.flatMap { TransportProtocol(token: $0) } ?? .udp)
        let host = uri.maddr ?? uri.host
        guard let address = SocketAddress(ip: host, port: uri.port ?? transport.defaultPort) else { return [] }
        return [OutboundTarget(transport: transport, address: address)]
    }
}
