/// The transport Switchboard uses towards a carrier's termination hosts.
public enum CarrierTransport: String, Sendable, Hashable, CaseIterable {
    case udp
    case tcp
    case tls

    /// The port used when a host names none (RFC 3261 19.1.2: 5060, 5061 for TLS).
    public var defaultPort: UInt16 { self == .tls ? 5061 : 5060 }
}
