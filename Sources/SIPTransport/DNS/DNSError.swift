/// Why a DNS lookup produced no answer: a packet that cannot be read, a server
/// verdict, or a network failure. A proxy turns these into 503 (or 404 for
/// a name that does not exist) when no target is left.
public enum DNSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The packet ends before the field at `offset` does.
    case truncatedPacket(offset: Int)
    /// The packet is complete but not valid DNS (bad label, pointer loop, wrong RDATA length).
    case malformed(offset: Int, reason: String)
    /// A name that cannot be put in a query (empty label, label over 63 bytes, name over 255).
    case invalidName(String)
    /// No matching response within the timeout, after the retry.
    case timeout
    /// RCODE 3: the name does not exist.
    case nameError
    /// RCODE 2: the server could not answer.
    case serverFailure
    /// Another non-zero RCODE (FORMERR, NOTIMP, REFUSED, ...).
    case responseCode(UInt8)
    /// The TC bit on an answer that came over TCP (over UDP, the client retries over TCP).
    case truncatedResponse
    /// A socket call failed.
    case io(call: String, errno: Int32)

    public var description: String {
        switch self {
        case .truncatedPacket(let offset): return "DNS packet truncated at byte \(offset)"
        case .malformed(let offset, let reason): return "malformed DNS packet at byte \(offset): \(reason)"
        case .invalidName(let name): return "invalid DNS name \(name)"
        case .timeout: return "DNS timeout"
        case .nameError: return "DNS NXDOMAIN"
        case .serverFailure: return "DNS SERVFAIL"
        case .responseCode(let code): return "DNS RCODE \(code)"
        case .truncatedResponse: return "DNS response truncated"
        case .io(let call, let errno): return "DNS \(call) failed: errno \(errno)"
        }
    }
}
