/// Where a REGISTER arrived from: what a request to a NATed or RFC 5626
/// outbound contact must be sent back over.
public struct BindingSource: Sendable, Hashable {
    /// Transport name as in Via (`udp`, `tcp`, `tls`, `ws`, `wss`), lowercase.
    public var transport: String
    /// The peer's address, `host:port` (`[v6]:port` for IPv6).
    public var address: String
    /// The transport's token for the connection or flow it arrived on, if any.
    public var flowToken: UInt64?

    public init(transport: String, address: String, flowToken: UInt64? = nil) {
        self.transport = transport.lowercased()
        self.address = address
        self.flowToken = flowToken
    }
}
