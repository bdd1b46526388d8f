/// A byte-stream codec between a connection's socket and its SIP framer:
/// identity for TCP, the TLS engine for TLS.
///
/// The connection owns its transform and calls it only on its own serial
/// queue. A transform never touches the socket: it is given the wire bytes
/// that arrived and returns the plaintext for the framer together with any
/// wire bytes it wants sent (handshake records, alerts). A transform that
/// cannot encrypt yet (handshake in progress) may hold plaintext back in
/// `outbound` and release its records later through an `inbound` result's
/// `toSend`.
public protocol StreamTransform {
    /// Wire bytes to send as soon as the connection is established (a TLS
    /// ClientHello); empty for TCP and for servers.
    mutating func start() throws(StreamTransformError) -> [UInt8]
    /// Consumes wire bytes read from the socket.
    mutating func inbound(_ bytes: [UInt8]) throws(StreamTransformError) -> StreamTransformOutput
    /// The wire bytes carrying `plaintext` (possibly empty while held back).
    mutating func outbound(_ plaintext: [UInt8]) throws(StreamTransformError) -> [UInt8]
    /// Wire bytes that end the session cleanly (a TLS close_notify); empty for
    /// TCP. After `inbound` threw, what is still owed to the peer (the TLS
    /// alert saying why), sent before the socket closes.
    mutating func close() -> [UInt8]
    /// False while a handshake is in progress (TLS): a connection whose
    /// handshake outlasts the handshake timeout is closed.
    var isEstablished: Bool { get }
}

extension StreamTransform {
    /// A transform without a handshake is established from the start.
    public var isEstablished: Bool { true }
}

/// What a transform makes of received wire bytes.
public struct StreamTransformOutput: Sendable, Equatable {
    /// Bytes for the SIP framer.
    public var plaintext: [UInt8]
    /// Wire bytes to write back to the peer now.
    public var toSend: [UInt8]

    public init(plaintext: [UInt8] = [], toSend: [UInt8] = []) {
        self.plaintext = plaintext
        self.toSend = toSend
    }
}

/// Why a transform gave up on a connection (handshake failure, bad record,
/// certificate rejected); the connection is closed and the reason logged
/// and reported as a `TransportFailure`.
public struct StreamTransformError: Error, Sendable, Hashable, CustomStringConvertible {
    public var reason: String
    public init(reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Who a transform is made for: the connection's transport, which side
/// opened it, the addresses, and for connections we open the name the peer
/// must prove (TLS SNI and certificate check, RFC 5922).
public struct StreamContext: Sendable, Hashable {
    public enum Role: Sendable, Hashable {
        /// The peer connected to one of our listeners.
        case accepted
        /// We connected to the peer.
        case initiated
    }

    public var transport: TransportProtocol
    public var role: Role
    public var local: SocketAddress?
    public var peer: SocketAddress
    public var serverName: String?
    public var connection: ConnectionID

    public init(transport: TransportProtocol, role: Role, local: SocketAddress?, peer: SocketAddress, serverName: String?, connection: ConnectionID) {
        self.transport = transport
        self.role = role
        self.local = local
        self.peer = peer
        self.serverName = serverName
        self.connection = connection
    }
}

/// Makes the transform for a new connection; installed per transport with
/// `SIPTransportLayer.setStreamTransform(_:for:)`. Called once per connection
/// as it is created, under the connection table's lock: it must not call back
/// into the transport layer. A throw refuses the connection.
public typealias StreamTransformFactory = @Sendable (StreamContext) throws(StreamTransformError) -> any StreamTransform

/// TCP: the bytes on the wire are the SIP bytes.
public struct IdentityStreamTransform: StreamTransform, Sendable {
    public init() {}
    public mutating func start() -> [UInt8] { [] }
    public mutating func inbound(_ bytes: [UInt8]) -> StreamTransformOutput { StreamTransformOutput(plaintext: bytes) }
    public mutating func outbound(_ plaintext: [UInt8]) -> [UInt8] { plaintext }
    public mutating func close() -> [UInt8] { [] }
}
