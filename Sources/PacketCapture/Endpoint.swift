/// A transport address: IP address and UDP or TCP port.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    public var ip: IPAddress
    public var port: UInt16

    public init(ip: IPAddress, port: UInt16) {
        self.ip = ip
        self.port = port
    }

    /// The address as text (IPv6 in canonical form, without brackets).
    public var address: String {
        ip.description
    }

    /// `a.b.c.d:port` or `[v6]:port`, as in a SIP Via sent-by.
    public var description: String {
        switch ip {
        case .v4: "\(ip):\(port)"
        case .v6: "[\(ip)]:\(port)"
        }
    }
}
