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

    public init(maxMessageSize: Int = 65535, maxHeaders: Int = 256, maxVia: Int = 70, maxTCPConnections: Int = 4096) {
        self.maxMessageSize = maxMessageSize
        self.maxHeaders = maxHeaders
        self.maxVia = maxVia
        self.maxTCPConnections = maxTCPConnections
    }

    init(reading section: inout ConfigurationSection) {
        self.maxMessageSize = section.integer("max_message_size", default: 65535, range: 1024...1_048_576)
        self.maxHeaders = section.integer("max_headers", default: 256, range: 16...4096)
        self.maxVia = section.integer("max_via", default: 70, range: 1...256)
        self.maxTCPConnections = section.integer("max_tcp_connections", default: 4096, range: 1...1_000_000)
    }
}
