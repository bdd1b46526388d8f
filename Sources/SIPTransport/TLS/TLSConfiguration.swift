/// What a TLS listener or outbound TLS connection uses: our certificate and
/// key, whom we trust, whom we verify and which protocol versions and ciphers
/// we accept. Paths are read when a `TLSContext` is built from it.
public struct TLSConfiguration: Sendable, Hashable {
    /// Where the certificates we trust to sign a peer's certificate come from.
    public enum TrustRoots: Sendable, Hashable {
        /// The system store (OpenSSL's default verify paths).
        case system
        /// A PEM bundle of CA certificates.
        case file(String)
    }

    /// Whether a server asks a client for a certificate (mutual TLS).
    public enum ClientCertificateVerification: Sendable, Hashable {
        /// No certificate is requested.
        case none
        /// A certificate is requested and verified if sent; a client without one is accepted.
        case optional
        /// A verified certificate is required; a client without one fails the handshake.
        case required
    }

    /// PEM file with our certificate first, then its intermediates.
    public var certificateChainPath: String?
    /// PEM file with the private key for the first certificate of the chain.
    public var privateKeyPath: String?
    /// CAs used to verify the peer's certificate.
    public var trustRoots: TrustRoots
    /// Client side: verify the server's certificate chain and name (carrier certificates). On by default.
    public var verifyPeer: Bool
    /// Server side: request and verify client certificates.
    public var clientCertificateVerification: ClientCertificateVerification
    public var minimumVersion: TLSVersion
    public var maximumVersion: TLSVersion
    /// OpenSSL cipher list for TLS 1.2 (`SSL_CTX_set_cipher_list`); nil keeps OpenSSL's default.
    public var cipherList: String?
    /// TLS 1.3 cipher suites (`SSL_CTX_set_ciphersuites`); nil keeps OpenSSL's default.
    public var cipherSuites: String?

    public init(
        certificateChainPath: String? = nil,
        privateKeyPath: String? = nil,
        trustRoots: TrustRoots = .system,
        verifyPeer: Bool = true,
        clientCertificateVerification: ClientCertificateVerification = .none,
        minimumVersion: TLSVersion = .tlsv1_2,
        maximumVersion: TLSVersion = .tlsv1_3,
        cipherList: String? = nil,
        cipherSuites: String? = nil
    ) {
        self.certificateChainPath = certificateChainPath
        self.privateKeyPath = privateKeyPath
        self.trustRoots = trustRoots
        self.verifyPeer = verifyPeer
        self.clientCertificateVerification = clientCertificateVerification
        self.minimumVersion = minimumVersion
        self.maximumVersion = maximumVersion
        self.cipherList = cipherList
        self.cipherSuites = cipherSuites
    }

    /// A server (listener) configuration: certificate and key, no client certificates asked by default.
    public static func server(
        certificateChainPath: String,
        privateKeyPath: String,
        trustRoots: TrustRoots = .system,
        clientCertificateVerification: ClientCertificateVerification = .none
    ) -> TLSConfiguration {
        TLSConfiguration(
            certificateChainPath: certificateChainPath,
            privateKeyPath: privateKeyPath,
            trustRoots: trustRoots,
            clientCertificateVerification: clientCertificateVerification
        )
    }

    /// A client configuration that verifies servers against `trustRoots`; a
    /// certificate and key are only needed where the server asks for one.
    public static func client(
        trustRoots: TrustRoots = .system,
        certificateChainPath: String? = nil,
        privateKeyPath: String? = nil
    ) -> TLSConfiguration {
        TLSConfiguration(
            certificateChainPath: certificateChainPath,
            privateKeyPath: privateKeyPath,
            trustRoots: trustRoots
        )
    }
}
