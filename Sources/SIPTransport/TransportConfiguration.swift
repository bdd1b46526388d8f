import Logging
import SIPCore

/// The transport layer's limits and socket options; each has a default an
/// operator can leave alone.
public struct TransportConfiguration: Sendable {
    /// Parser limits for every received message (max size, headers, Vias).
    public var parserLimits: SIPParserLimits
    /// Most inbound TCP/TLS connections open at once; further accepts are closed at once.
    public var maxConnections: Int
    /// A stream connection with no traffic for this many seconds is closed,
    /// and so is one whose message being received started longer ago.
    public var idleTimeout: Double
    /// A TLS connection whose handshake has not completed this many seconds
    /// after it opened is closed.
    public var handshakeTimeout: Double
    /// The most a half-received stream message may buffer before the connection is refused (513, then close).
    public var maxStreamMessageSize: Int
    /// Datagrams received per `recvmmsg` call (and sent per `sendmmsg`).
    public var datagramBatchSize: Int
    /// Threads receiving on each UDP socket (`UDPReceivers`): as many as there
    /// are shards lets the shards run in parallel.
    public var datagramReceivers: Int
    /// SO_RCVBUF and SO_SNDBUF for UDP sockets, in bytes; 0 keeps the system default.
    public var datagramSocketBufferSize: Int32
    /// SO_REUSEPORT on listening sockets, so that several processes can share a port.
    public var reusePort: Bool
    /// Backlog of pending TCP/TLS connections per listener.
    public var listenBacklog: Int32
    /// Seconds a closing stream connection may take to deliver its last bytes.
    public var closeLingerTimeout: Double
    public var logger: Logger

    public init(
        parserLimits: SIPParserLimits = SIPParserLimits(),
        maxConnections: Int = 10_000,
        idleTimeout: Double = 120,
        handshakeTimeout: Double = 10,
        maxStreamMessageSize: Int = 65_535,
        datagramBatchSize: Int = 32,
        datagramReceivers: Int = 1,
        datagramSocketBufferSize: Int32 = 4 << 20,
        reusePort: Bool = false,
        listenBacklog: Int32 = 1024,
        closeLingerTimeout: Double = 2,
        logger: Logger = Logger(label: "switchboard.transport")
    ) {
        self.parserLimits = parserLimits
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.handshakeTimeout = handshakeTimeout
        self.maxStreamMessageSize = maxStreamMessageSize
        self.datagramBatchSize = datagramBatchSize
        self.datagramReceivers = max(1, datagramReceivers)
        self.datagramSocketBufferSize = datagramSocketBufferSize
        self.reusePort = reusePort
        self.listenBacklog = listenBacklog
        self.closeLingerTimeout = closeLingerTimeout
        self.logger = logger
    }
}
