/// One listening socket to open: a transport and a local address (port 0
/// lets the system choose, as tests do).
public struct ListenAddress: Hashable, Sendable, CustomStringConvertible {
    public var transport: TransportProtocol
    public var address: SocketAddress

    public init(transport: TransportProtocol, address: SocketAddress) {
        self.transport = transport
        self.address = address
    }

    public var description: String { "\(transport):\(address)" }
}
