/// Why a TLS context could not be built or a TLS session failed. Reasons are
/// OpenSSL's error queue in words, so a log line says what went wrong.
public enum TLSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong with the certificate the peer presented.
    public enum CertificateProblem: Sendable, Hashable, CustomStringConvertible {
        /// Neither a subjectAltName nor the common name matches the expected host or IP.
        case nameMismatch
        /// The chain does not lead to a CA we trust.
        case untrustedIssuer
        case expired
        case notYetValid
        /// Any other X.509 verification error, with OpenSSL's `X509_V_ERR_*` code.
        case other(code: Int)

        public var description: String {
            switch self {
            case .nameMismatch: "name mismatch"
            case .untrustedIssuer: "untrusted issuer"
            case .expired: "expired"
            case .notYetValid: "not yet valid"
            case .other(let code): "verification error \(code)"
            }
        }
    }

    /// The certificate chain file could not be read or used.
    case certificateChain(path: String, reason: String)
    /// The private key file could not be read, or does not match the certificate.
    case privateKey(path: String, reason: String)
    /// The CA bundle (or the system store) could not be loaded.
    case trustRoots(source: String, reason: String)
    /// A setting OpenSSL refused: versions, cipher list, cipher suites, host name.
    case invalidConfiguration(String)
    /// OpenSSL could not allocate a context or session.
    case resourceExhausted(String)
    /// We rejected the peer's certificate during the handshake.
    case peerCertificateRejected(CertificateProblem, reason: String)
    /// The server requires a client certificate and the client sent none.
    case peerCertificateMissing(reason: String)
    /// The peer offered only protocol versions outside our minimum and maximum.
    case unsupportedVersion(reason: String)
    /// The peer aborted with a TLS alert (e.g. "tlsv1 alert unknown ca").
    case alertReceived(reason: String)
    /// Malformed records or handshake messages, or any other TLS failure.
    case protocolError(reason: String)
    /// The session already failed or was closed; nothing more can be sent or received.
    case sessionClosed

    public var description: String {
        switch self {
        case .certificateChain(let path, let reason): "TLS certificate chain \(path): \(reason)"
        case .privateKey(let path, let reason): "TLS private key \(path): \(reason)"
        case .trustRoots(let source, let reason): "TLS trust roots \(source): \(reason)"
        case .invalidConfiguration(let reason): "TLS configuration: \(reason)"
        case .resourceExhausted(let reason): "TLS: \(reason)"
        case .peerCertificateRejected(let problem, let reason): "TLS peer certificate rejected (\(problem)): \(reason)"
        case .peerCertificateMissing(let reason): "TLS peer sent no certificate: \(reason)"
        case .unsupportedVersion(let reason): "TLS version refused: \(reason)"
        case .alertReceived(let reason): "TLS alert from peer: \(reason)"
        case .protocolError(let reason): "TLS protocol error: \(reason)"
        case .sessionClosed: "TLS session closed"
        }
    }
}
