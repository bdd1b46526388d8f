import Routing

/// A value in the E911 configuration that cannot be used; reload rejects
/// the file and keeps the running snapshot.
public enum EmergencyConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Not `+` and 1–15 digits.
    case invalidE164(String)
    /// Not an IPv4 or IPv6 address.
    case invalidIPAddress(String)
    /// Not `address/prefix-length` with a prefix length that fits the family.
    case invalidNetwork(String)
    /// Not six hex octets.
    case invalidMACAddress(String)
    /// The Bandwidth caller identity form needs a NANP callback number.
    case callbackNumberNotNANP(E164Number)
    /// A host that cannot go in a SIP URI.
    case invalidHost(String)
    /// A Dynamic Location Routing endpoint id that is not a SIP user part.
    case invalidEndpointID(String)

    public var description: String {
        switch self {
        case .invalidE164(let s): return "not an E.164 number: \(s)"
        case .invalidIPAddress(let s): return "not an IP address: \(s)"
        case .invalidNetwork(let s): return "not a network (address/length): \(s)"
        case .invalidMACAddress(let s): return "not a MAC address: \(s)"
        case .callbackNumberNotNANP(let n): return "callback number is not a NANP number (+1NXXNXXXXXX): \(n)"
        case .invalidHost(let s): return "not a SIP host: \(s)"
        case .invalidEndpointID(let s): return "not a valid endpoint id: \(s)"
        }
    }
}
