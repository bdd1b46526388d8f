import CSRTP
import CSwitchboardShims

/// libsrtp's process-wide initialisation, run once (Swift's lazy statics are
/// thread-safe). `srtp_init` itself is not: every user in the process goes
/// through here.
///
/// After `srtp_init`, AES counter mode and HMAC-SHA1 are replaced by the
/// OpenSSL versions in the shims: the system libsrtp computes them through
/// NSS, which sets up a context (allocations, locks) for every packet.
/// libsrtp checks each replacement against the known answers of the type
/// it replaces; one it refuses leaves libsrtp's own in place.
public enum SRTPLibrary {
    /// libsrtp's status from `srtp_init`, and how many primitives run on OpenSSL.
    private static let setup: (status: UInt32, openSSLPrimitives: Int32) = {
        let status = srtp_init()
        guard status == srtp_err_status_ok else { return (status.rawValue, 0) }
        return (status.rawValue, sb_srtp_use_openssl_primitives())
    }()

    /// Initialises libsrtp on first use; false if it could not start.
    public static func ensureInitialized() -> Bool {
        setup.status == srtp_err_status_ok.rawValue
    }

    /// Whether AES counter mode and HMAC-SHA1 run on OpenSSL (all replacements accepted).
    public static var usesOpenSSLPrimitives: Bool {
        ensureInitialized() && setup.openSSLPrimitives == 3
    }
}
