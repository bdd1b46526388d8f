/// Where calls to a carrier are sent: a host name or address and an optional port.
public struct TerminationHost: Sendable, Hashable, CustomStringConvertible {
    public var host: String
    /// Nil: the transport's default port (or what DNS SRV says, RFC 3263).
    public var port: UInt16?

    public init(_ host: String, port: UInt16? = nil) {
        self.host = host
        self.port = port
    }

    public var description: String { port.map { "\(host):\($0)" } ?? host }
}
