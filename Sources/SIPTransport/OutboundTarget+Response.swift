import SIPCore

extension OutboundTarget {
    /// Where a response goes (RFC 3261 18.2.2, RFC 3581 4), from the top Via
    /// of the request as the transport stamped it: over the request's
    /// connection for TCP/TLS while it is open (the layer falls back to a new
    /// connection to the same address); else to `received` with the `rport`
    /// or sent-by port; else to a numeric sent-by. Nil when the sent-by is a
    /// name, which RFC 3263 5 resolves like a URI.
    public static func response(toVia via: Via, arrivedOver transport: TransportProtocol, connection: ConnectionID?) -> OutboundTarget? {
        let t = TransportProtocol(token: via.transport) ?? transport
        let defaultPort = t.defaultPort
        var port = via.port ?? defaultPort
        // rport names the source port of a datagram; a new connection goes to the sent-by port.
        if !t.isReliable, case .some(.some(let rport)) = via.rport { port = rport }
        let address: SocketAddress?
        if let received = via.received {
            address = SocketAddress(ip: received, port: port)
        } else if via.hostKind == .ipv4 || via.hostKind == .ipv6 {
            address = SocketAddress(ip: via.host, port: port)
        } else {
            address = nil
        }
        guard let address else { return nil }
        return OutboundTarget(transport: t, address: address, connection: t.isReliable ? connection : nil)
    }
}
