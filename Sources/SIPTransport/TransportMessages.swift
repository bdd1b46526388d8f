import SIPCore

/// Identifies one TCP or TLS connection for its lifetime, so that responses
/// and in-dialog requests can go back over it (RFC 3261 18.2.2, RFC 5923).
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "c\(rawValue)" }
}

/// A message that arrived, with where it came from and over what.
public struct InboundMessage: Sendable {
    public var message: SIPMessage
    /// The peer's address and port (the packet's source).
    public var source: SocketAddress
    /// Our address and port it arrived on.
    public var local: SocketAddress
    public var transport: TransportProtocol
    /// The connection it arrived on (TCP, TLS); nil for UDP.
    public var connection: ConnectionID?

    public init(message: SIPMessage, source: SocketAddress, local: SocketAddress, transport: TransportProtocol, connection: ConnectionID?) {
        self.message = message
        self.source = source
        self.local = local
        self.transport = transport
        self.connection = connection
    }
}

/// Where to send a message: a transport and address, optionally an existing
/// connection to reuse, and for TLS the name to verify (SNI).
public struct OutboundTarget: Hashable, Sendable, CustomStringConvertible {
    public var transport: TransportProtocol
    public var address: SocketAddress
    public var connection: ConnectionID?
    public var serverName: String?

    public init(transport: TransportProtocol, address: SocketAddress, connection: ConnectionID? = nil, serverName: String? = nil) {
        self.transport = transport
        self.address = address
        self.connection = connection
        self.serverName = serverName
    }

    public var description: String { "\(transport)://\(address)" }

    /// The largest message this target can take in one piece: a UDP
    /// datagram's payload (65 507 bytes over IPv4, 65 527 over IPv6); nil for
    /// streams, which have no such limit.
    public var maxMessageSize: Int? {
        guard transport == .udp else { return nil }
        return address.family == .ipv4 ? 65_507 : 65_527
    }
}

/// Why a send failed, reported asynchronously so that a client transaction
/// can fail over (RFC 3261 8.1.3.1, 17.1.4).
public struct TransportFailure: Error, Sendable, CustomStringConvertible {
    public var target: OutboundTarget
    public var reason: String
    public init(target: OutboundTarget, reason: String) {
        self.target = target
        self.reason = reason
    }
    public var description: String { "\(target): \(reason)" }
}

/// What the layers above use to send: the transport layer, or in unit tests
/// a recorder. Sends never block; failures come back through `onFailure`.
public protocol MessageSender: AnyObject, Sendable {
    func send(_ bytes: [UInt8], to target: OutboundTarget)
    /// The address a message to `target` leaves from, for Via and Record-Route.
    func localAddress(toward target: OutboundTarget) -> SocketAddress?
}
