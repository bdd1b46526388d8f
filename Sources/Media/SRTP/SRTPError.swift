/// Why an SRTP session could not be created.
public enum SRTPError: Error, Sendable, Hashable {
    /// `srtp_init` failed; libsrtp's status code.
    case libraryInitialization(UInt32)
    /// `srtp_create` refused the policy; libsrtp's status code.
    case sessionCreation(UInt32)
}
