/// What the carrier leg's INVITE carries of the caller's asserted identity
/// (RFC 3325 P-Asserted-Identity and RFC 3323 Privacy).
public enum IdentityPolicy: Sendable, Equatable {
    /// Copied from the caller's INVITE.
    case pass
    /// Left out.
    case strip
    /// This P-Asserted-Identity value (e.g. the E911 callback number), with the caller's Privacy.
    case assert(String)
}
