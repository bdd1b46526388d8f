import SIPCore
import SIPTransport

/// Where a server transaction sends its responses (RFC 3261 18.2.2, RFC 3581).
public enum ResponseRoute {
    /// The target for responses to the request `inbound`.
    ///
    /// - Reliable transport: the connection the request came on (the
    ///   transport falls back to the source address if it has closed).
    /// - Unreliable with `maddr` (a numeric address): that address, UDP, the
    ///   sent-by port or 5060.
    /// - Otherwise the `received` address, or the packet's source address
    ///   (which is what `received` would say); the port is the `rport` value,
    ///   or the source port when `rport` is present without one, or the
    ///   sent-by port, or the transport's default port.
    ///
    /// A request whose top Via does not parse is answered to its source.
    public static func target(for inbound: InboundMessage) -> OutboundTarget {
        let transport = inbound.transport
        guard let via = try? inbound.message.topVia() else {
            return OutboundTarget(transport: transport, address: inbound.source, connection: inbound.connection)
        }
        if transport.isReliable, let connection = inbound.connection {
            return OutboundTarget(transport: transport, address: inbound.source, connection: connection)
        }
        let sentByPort = via.port ?? transport.defaultPort
        if !transport.isReliable, let maddr = via.maddr, let address = SocketAddress(ip: unbracketed(maddr), port: sentByPort) {
            return OutboundTarget(transport: .udp, address: address)
        }
        let port: UInt16
        if case .some(let rport) = via.rport {
            port = rport ?? inbound.source.port
        } else {
            port = sentByPort
        }
        let address =
            via.received.flatMap { SocketAddress(ip: $0, port: port) }
            ?? inbound.source.with(port: port)
        return OutboundTarget(transport: transport, address: address)
    }

    private static func unbracketed(_ host: String) -> String {
        host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
    }
}
