import SIPCore

/// One of Bandwidth's E911 session border controllers (or any next hop an
/// emergency call can go to): where the INVITE is sent.
public struct EmergencySBC: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Host name or IP address (IPv6 without brackets).
    public let host: String
    public let port: UInt16
    /// `udp` for Bandwidth (CARRIERS.md: UDP 5060 from the static IPs on file).
    public let transport: String

    public init(host: String, port: UInt16 = 5060, transport: String = "udp") throws(EmergencyConfigurationError) {
        self.host = host
        self.port = port
        self.transport = transport.lowercased()
        guard !host.isEmpty, (try? SIPURI("sip:911@\(hostPort)")) != nil else { throw .invalidHost(host) }
    }

    enum CodingKeys: String, CodingKey { case host, port, transport }

    /// Decoding validates like `init(host:port:transport:)`, so a configuration file cannot bypass it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            host: try c.decode(String.self, forKey: .host),
            port: try c.decodeIfPresent(UInt16.self, forKey: .port) ?? 5060,
            transport: try c.decodeIfPresent(String.self, forKey: .transport) ?? "udp")
    }

    /// host[:port] as it goes in a SIP URI; 5060 is left implicit.
    public var hostPort: String {
        let h = host.contains(":") ? "[\(host)]" : host
        return port == 5060 ? h : "\(h):\(port)"
    }

    public var description: String { "\(hostPort);transport=\(transport)" }

    /// `sip:911@sbc` (or 933): the Request-URI Bandwidth expects, whatever
    /// prefix the caller dialled.
    public func requestURI(serviceNumber: String) -> SIPURI {
        // Validated in init; a service number is digits only.
        (try? SIPURI("sip:\(serviceNumber)@\(hostPort)")) ?? (try! SIPURI("sip:911@\(hostPort)"))
    }
}
