/// The digest algorithms of RFC 7616 section 6.1 that Switchboard offers
/// and accepts, strongest first (RFC 8760 registers SHA-512-256 for SIP).
public enum DigestAlgorithm: String, Sendable, Hashable, CaseIterable {
    case sha512_256 = "SHA-512-256"
    case sha256 = "SHA-256"
    case md5 = "MD5"

    /// The token as it appears in `algorithm=` (case-insensitive on input).
    public init?(token: String) {
        switch token.uppercased() {
        case "SHA-512-256": self = .sha512_256
        case "SHA-256": self = .sha256
        case "MD5": self = .md5
        default: return nil
        }
    }
}
