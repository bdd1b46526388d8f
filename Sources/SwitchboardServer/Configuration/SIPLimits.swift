/// `[sip.limits]`: bounds on what one message or peer may cost.
public struct SIPLimits: Hashable, Sendable {
    /// Largest message accepted, in bytes (headers and body).
    public var maxMessageSize: Int
    /// Most header fields in one message.
    public var maxHeaders: Int
    /// Most Via header field values in one message.
    public var maxVia: Int
    /// Most TCP and TLS connections open at once.
    public var maxTCPConnections: Int
    /// A TCP or TLS connection without traffic this long is closed, and so
    /// is one whose message being received began this long ago.
    public var tcpIdleTimeout: Duration
    /// A TLS connection whose handshake is not complete this long after it opened is closed.
    public var tlsHandshakeTimeout: Duration

    public init(
        maxMessageSize: Int = 65535, maxHeaders: Int = 256, maxVia: Int = 70, maxTCPConnections: Int = 4096,
        tcpIdleTimeout: Duration = .seconds(120), tlsHandshakeTimeout: Duration = .seconds(10)
    ) {
        self.maxMessageSize = maxMessageSize
        self.maxHeaders = maxHeaders
        self.maxVia = maxVia
        self.maxTCPConnections = maxTCPConnections
        self.tcpIdleTimeout = tcpIdleTimeout
        self.tlsHandshakeTimeout = tlsHandshakeTimeout
    }

    init(reading section: inout ConfigurationSection) {
        self.maxMessageSize = section.integer("max_message_size", default: 65535, range: 1024...1_048_576)
        self.maxHeaders = section.integer("max_headers", default: 256, range: 16...4096)
        self.maxVia = section.integer("max_via", default: 70, range: 1...256)
        self.maxTCPConnections = section.integer("max_tcp_connections", default: 4096, range: 1...1_000_000)
        self.tcpIdleTimeout = .seconds(section.integer("tcp_idle_timeout", default: 120, range: 1...86400))
        self.tlsHandshakeTimeout = .seconds(section.integer("tls_handshake_timeout", default: 10, range: 1...3600))
    }
}
