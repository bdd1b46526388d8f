import COpenSSL
import CSwitchboardShims

/// A loaded TLS configuration: an OpenSSL `SSL_CTX` with our certificate,
/// key, trust roots and protocol limits, from which sessions are made.
///
/// The context is immutable once built, so it is shared freely across
/// queues (OpenSSL makes sessions from one `SSL_CTX` on several threads).
///
/// Reload (SIGHUP): build a new context from the same configuration with
/// `reloaded()`, which reads the files again, and hand it to new
/// connections. Sessions already running keep a reference to the context
/// they were made from and finish on it: existing connections are not
/// dropped and keep their old certificate until they close. An invalid new
/// file throws and the old context stays in use.
public final class TLSContext: Sendable {
    public let configuration: TLSConfiguration
    /// Owned `SSL_CTX *`; never mutated after `init`.
    nonisolated(unsafe) let handle: OpaquePointer

    /// Builds a context, reading the certificate chain, key and CA files now.
    public init(configuration: TLSConfiguration) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard let handle = SSL_CTX_new(TLS_method()) else {
            throw .resourceExhausted(OpenSSLErrorQueue.message(fallback: "SSL_CTX_new failed"))
        }
        do {
            try Self.apply(configuration, to: handle)
        } catch {
            SSL_CTX_free(handle)
            throw error
        }
        self.configuration = configuration
        self.handle = handle
    }

    deinit {
        SSL_CTX_free(handle)
    }

    /// A new context from the same configuration, with the files read again.
    public func reloaded() throws(TLSError) -> TLSContext {
        try TLSContext(configuration: configuration)
    }

    private static func apply(_ configuration: TLSConfiguration, to ctx: OpaquePointer) throws(TLSError) {
        guard configuration.minimumVersion <= configuration.maximumVersion else {
            throw .invalidConfiguration("minimum version \(configuration.minimumVersion) is above maximum \(configuration.maximumVersion)")
        }
        try call("minimum version \(configuration.minimumVersion)") {
            sb_ssl_ctx_set_min_proto_version(ctx, configuration.minimumVersion.openSSLValue) == 1
        }
        try call("maximum version \(configuration.maximumVersion)") {
            sb_ssl_ctx_set_max_proto_version(ctx, configuration.maximumVersion.openSSLValue) == 1
        }
        sb_ssl_ctx_disable_renegotiation_and_compression(ctx)
        // Memory BIOs never take partial writes; release idle buffers so idle connections stay small.
        _ = sb_ssl_ctx_set_mode(ctx, Int(SSL_MODE_RELEASE_BUFFERS))

        if let cipherList = configuration.cipherList {
            try call("cipher list \"\(cipherList)\"") { SSL_CTX_set_cipher_list(ctx, cipherList) == 1 }
        }
        if let cipherSuites = configuration.cipherSuites {
            try call("cipher suites \"\(cipherSuites)\"") { SSL_CTX_set_ciphersuites(ctx, cipherSuites) == 1 }
        }

        try loadIdentity(configuration, into: ctx)
        try loadTrustRoots(configuration.trustRoots, into: ctx)

        // Client sessions verify the server when `verifyPeer` is on; server sessions
        // request a client certificate as configured. The session sets its own mode.
        SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nil)
    }

    private static func loadIdentity(_ configuration: TLSConfiguration, into ctx: OpaquePointer) throws(TLSError) {
        switch (configuration.certificateChainPath, configuration.privateKeyPath) {
        case (nil, nil):
            return
        case (let chain?, nil):
            throw .invalidConfiguration("certificate chain \(chain) is configured without a private key")
        case (nil, let key?):
            throw .invalidConfiguration("private key \(key) is configured without a certificate chain")
        case (let chain?, let key?):
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_use_certificate_chain_file(ctx, chain) == 1 else {
                throw .certificateChain(path: chain, reason: OpenSSLErrorQueue.message(fallback: "cannot be loaded"))
            }
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1 else {
                throw .privateKey(path: key, reason: OpenSSLErrorQueue.message(fallback: "cannot be loaded"))
            }
            OpenSSLErrorQueue.clear()
            guard SSL_CTX_check_private_key(ctx) == 1 else {
                throw .privateKey(path: key, reason: OpenSSLErrorQueue.message(fallback: "does not match certificate \(chain)"))
            }
        }
    }

    private static func loadTrustRoots(_ roots: TLSConfiguration.TrustRoots, into ctx: OpaquePointer) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        switch roots {
        case .system:
            guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
                throw .trustRoots(source: "system", reason: OpenSSLErrorQueue.message(fallback: "cannot be loaded"))
            }
        case .file(let path):
            guard SSL_CTX_load_verify_locations(ctx, path, nil) == 1 else {
                throw .trustRoots(source: path, reason: OpenSSLErrorQueue.message(fallback: "cannot be loaded"))
            }
            // Servers asking for client certificates name the CAs they accept.
            OpenSSLErrorQueue.clear()
            if let names = SSL_load_client_CA_file(path) {
                SSL_CTX_set_client_CA_list(ctx, names)
            }
            OpenSSLErrorQueue.clear()
        }
    }

    private static func call(_ what: String, _ body: () -> Bool) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard body() else {
            throw .invalidConfiguration("\(what): \(OpenSSLErrorQueue.message(fallback: "refused by OpenSSL"))")
        }
    }
}
