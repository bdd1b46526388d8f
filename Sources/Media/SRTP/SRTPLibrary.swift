import CSRTP

/// libsrtp's process-wide initialisation, run once (Swift's lazy statics are
/// thread-safe). `srtp_init` itself is not: every user in the process goes
/// through here.
public enum SRTPLibrary {
    /// libsrtp's status from `srtp_init`, as its raw value.
    private static let initStatus: UInt32 = srtp_init().rawValue

    /// Initialises libsrtp on first use; false if it could not start.
    public static func ensureInitialized() -> Bool {
        initStatus == srtp_err_status_ok.rawValue
    }
}
