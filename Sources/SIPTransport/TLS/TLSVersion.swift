import COpenSSL

/// A TLS protocol version Switchboard speaks. Older versions are not offered
/// or accepted: SIP over TLS peers are expected to run TLS 1.2 or later.
public enum TLSVersion: Int, Sendable, Hashable, Comparable, CustomStringConvertible {
    case tlsv1_2 = 0x0303
    case tlsv1_3 = 0x0304

    /// The wire version number OpenSSL uses (`TLS1_2_VERSION`, `TLS1_3_VERSION`).
    var openSSLValue: Int32 { Int32(rawValue) }

    init?(openSSLValue: Int32) {
        self.init(rawValue: Int(openSSLValue))
    }

    public static func < (lhs: TLSVersion, rhs: TLSVersion) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String {
        switch self {
        case .tlsv1_2: "TLSv1.2"
        case .tlsv1_3: "TLSv1.3"
        }
    }
}
