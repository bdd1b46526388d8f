/// The transports SIP runs over here (RFC 3261 18, RFC 5630 for TLS).
public enum TransportProtocol: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case udp
    case tcp
    case tls

    /// The transport token of a Via header (`SIP/2.0/UDP`).
    public var viaToken: String {
        switch self {
        case .udp: return "UDP"
        case .tcp: return "TCP"
        case .tls: return "TLS"
        }
    }

    /// Reliable transports carry no retransmissions (RFC 3261 17.1.1.2 timer A).
    public var isReliable: Bool { self != .udp }

    /// RFC 3261 19.1.2: 5060 for UDP and TCP, 5061 for TLS.
    public var defaultPort: UInt16 { self == .tls ? 5061 : 5060 }

    public var description: String { rawValue }

    /// From a Via transport token or a URI `transport` parameter, case-insensitively.
    public init?(token: String) {
        switch token.lowercased() {
        case "udp": self = .udp
        case "tcp": self = .tcp
        case "tls": self = .tls
        default: return nil
        }
    }
}
