#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import COpenSSL
import CSwitchboardShims
import Dispatch

/// One TLS connection's protocol engine over a pair of memory BIOs: the
/// owning TCP connection feeds it the ciphertext it read and writes out the
/// ciphertext it returns; the engine never touches a socket.
///
/// Confined to the owning connection's serial queue: not `Sendable`, and
/// when made with `queue` it checks every call runs there (debug builds).
///
/// Renegotiation is refused; TLS 1.3 post-handshake messages (session
/// tickets, key updates) are handled inside `receive`. After an error is
/// thrown the session is dead: call `close()` to get the alert OpenSSL
/// queued for the peer, send it, then close the socket.
public final class TLSSession {
    /// Which side of the handshake this session plays.
    public enum Role: Sendable, Hashable {
        case server
        /// `serverName` is sent as SNI (host names only, never IP literals) and,
        /// when the context verifies peers, must match the server certificate's
        /// subjectAltName (DNS or IP). Without a name only the chain is verified.
        case client(serverName: String?)
    }

    /// The context this session was made from; a reload does not change it.
    public let context: TLSContext
    public let role: Role
    /// Owned `SSL *`, which owns both BIOs.
    let ssl: OpaquePointer
    /// Ciphertext from the peer goes in here.
    private let readBIO: OpaquePointer
    /// Ciphertext for the peer comes out of here.
    private let writeBIO: OpaquePointer
    private let queue: DispatchQueue?
    /// Plaintext sent before the handshake completed; written once it has.
    private var pendingPlaintext: [UInt8] = []
    private var failure: TLSError?
    private var sentCloseNotify = false

    /// True once the handshake finished and application data flows.
    public private(set) var isHandshakeComplete = false
    /// True once the peer's close_notify arrived: answer with `close()`.
    public private(set) var isPeerClosed = false

    /// Makes a session in the handshake's initial state. `queue` is the owning
    /// connection's queue, checked in debug builds.
    public init(context: TLSContext, role: Role, queue: DispatchQueue? = nil) throws(TLSError) {
        OpenSSLErrorQueue.clear()
        guard let ssl = SSL_new(context.handle) else {
            throw .resourceExhausted(OpenSSLErrorQueue.message(fallback: "SSL_new failed"))
        }
        guard let readBIO = BIO_new(BIO_s_mem()), let writeBIO = BIO_new(BIO_s_mem()) else {
            SSL_free(ssl)
            throw .resourceExhausted(OpenSSLErrorQueue.message(fallback: "BIO_new failed"))
        }
        // An empty read BIO means "wait for more", not end of stream.
        _ = sb_bio_set_mem_eof_return(readBIO, -1)
        _ = sb_bio_set_mem_eof_return(writeBIO, -1)
        SSL_set_bio(ssl, readBIO, writeBIO)
        self.ssl = ssl
        self.readBIO = readBIO
        self.writeBIO = writeBIO
        self.context = context
        self.role = role
        self.queue = queue
        try configure(for: role, configuration: context.configuration)
    }

    deinit {
        SSL_free(ssl)
    }

    private func configure(for role: Role, configuration: TLSConfiguration) throws(TLSError) {
        switch role {
        case .server:
            SSL_set_accept_state(ssl)
            switch configuration.clientCertificateVerification {
            case .none: SSL_set_verify(ssl, SSL_VERIFY_NONE, nil)
            case .optional: SSL_set_verify(ssl, SSL_VERIFY_PEER, nil)
            case .required: SSL_set_verify(ssl, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nil)
            }
        case .client(let serverName):
            SSL_set_connect_state(ssl)
            SSL_set_verify(ssl, configuration.verifyPeer ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
            guard let serverName, !serverName.isEmpty else { return }
            let ipLiteral = Self.ipLiteral(serverName)
            OpenSSLErrorQueue.clear()
            if ipLiteral == nil, sb_ssl_set_tlsext_host_name(ssl, serverName) != 1 {
                throw .invalidConfiguration("server name \(serverName): \(OpenSSLErrorQueue.message(fallback: "refused for SNI"))")
            }
            guard configuration.verifyPeer else { return }
            let parameters = SSL_get0_param(ssl)
            X509_VERIFY_PARAM_set_hostflags(parameters, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
            let accepted =
                if let ipLiteral {
                    X509_VERIFY_PARAM_set1_ip_asc(parameters, ipLiteral) == 1
                } else {
                    SSL_set1_host(ssl, serverName) == 1
                }
            guard accepted else {
                throw .invalidConfiguration("server name \(serverName): \(OpenSSLErrorQueue.message(fallback: "refused for verification"))")
            }
        }
    }

    /// The address inside `name` if it is an IPv4 or IPv6 literal (brackets allowed).
    private static func ipLiteral(_ name: String) -> String? {
        var host = Substring(name)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        var v4 = in_addr()
        var v6 = in6_addr()
        let text = String(host)
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1 ? text : nil
    }

    /// Client: the ClientHello to send first. Server: nothing (the client speaks first).
    public func start() -> [UInt8] {
        assertConfined()
        if case .client = role, failure == nil, !isHandshakeComplete {
            // Errors surface on the next receive; the first flight cannot fail on input.
            _ = try? driveHandshake()
        }
        return drainWriteBIO()
    }

    /// Feeds ciphertext from the peer; returns the plaintext it carried and the
    /// ciphertext to send back (handshake messages, then any buffered plaintext).
    public func receive(_ ciphertext: [UInt8]) throws(TLSError) -> (plaintext: [UInt8], toSend: [UInt8]) {
        assertConfined()
        if let failure { throw failure }
        if isPeerClosed { throw .sessionClosed }
        if !ciphertext.isEmpty {
            let written = ciphertext.withUnsafeBytes { BIO_write(readBIO, $0.baseAddress, Int32($0.count)) }
            guard written == Int32(ciphertext.count) else {
                throw fail(.resourceExhausted("BIO_write accepted \(written) of \(ciphertext.count) bytes"))
            }
        }
        var plaintext: [UInt8] = []
        if !isHandshakeComplete {
            try driveHandshake()
        }
        if isHandshakeComplete {
            try readPlaintext(into: &plaintext)
            // A write that had to wait for the peer (never expected without renegotiation) goes out now.
            try flushPendingPlaintext()
        }
        return (plaintext, drainWriteBIO())
    }

    /// Encrypts plaintext for the peer. Before the handshake completes the
    /// plaintext is kept and sent as soon as it has; the result then holds
    /// only handshake bytes (a client's ClientHello if `start()` was not called).
    public func send(_ plaintext: [UInt8]) throws(TLSError) -> [UInt8] {
        assertConfined()
        if let failure { throw failure }
        if sentCloseNotify { throw .sessionClosed }
        pendingPlaintext.append(contentsOf: plaintext)
        if isHandshakeComplete {
            try flushPendingPlaintext()
        } else {
            try driveHandshake()
        }
        return drainWriteBIO()
    }

    /// Sends close_notify (once the handshake is complete) and returns what to
    /// write before closing the socket; after a failure, the alert to send.
    /// Calling it again returns only what is still queued.
    public func close() -> [UInt8] {
        assertConfined()
        if failure == nil, !sentCloseNotify {
            sentCloseNotify = true
            if isHandshakeComplete {
                OpenSSLErrorQueue.clear()
                _ = SSL_shutdown(ssl)
                OpenSSLErrorQueue.clear()
            }
        }
        return drainWriteBIO()
    }

    private func driveHandshake() throws(TLSError) {
        OpenSSLErrorQueue.clear()
        let result = SSL_do_handshake(ssl)
        guard result == 1 else {
            try check(result)
            return
        }
        isHandshakeComplete = true
        try flushPendingPlaintext()
    }

    private func flushPendingPlaintext() throws(TLSError) {
        guard !pendingPlaintext.isEmpty, !sentCloseNotify else { return }
        OpenSSLErrorQueue.clear()
        let result = pendingPlaintext.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        if result > 0 {
            // Without partial writes, a positive result is the whole buffer.
            pendingPlaintext.removeAll(keepingCapacity: false)
        } else {
            try check(result)
        }
    }

    private func readPlaintext(into plaintext: inout [UInt8]) throws(TLSError) {
        while true {
            OpenSSLErrorQueue.clear()
            let result = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 16_384) { buffer in
                let count = SSL_read(ssl, buffer.baseAddress, Int32(buffer.count))
                if count > 0 { plaintext.append(contentsOf: buffer[0..<Int(count)]) }
                return count
            }
            if result > 0 { continue }
            if SSL_get_error(ssl, result) == SSL_ERROR_ZERO_RETURN {
                isPeerClosed = true
                return
            }
            try check(result)
            return
        }
    }

    /// Returns for "needs more input"; throws (and marks the session failed) for anything else.
    private func check(_ result: Int32) throws(TLSError) {
        let code = SSL_get_error(ssl, result)
        switch code {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
            OpenSSLErrorQueue.clear()
        case SSL_ERROR_SSL:
            throw fail(classify(OpenSSLErrorQueue.drain()))
        case SSL_ERROR_ZERO_RETURN:
            isPeerClosed = true
            throw fail(.sessionClosed)
        default:
            throw fail(.protocolError(reason: OpenSSLErrorQueue.message(fallback: "SSL error \(code)")))
        }
    }

    private func fail(_ error: TLSError) -> TLSError {
        failure = error
        return error
    }

    /// Turns a failed call's error queue into the most specific `TLSError`.
    private func classify(_ entries: [OpenSSLErrorQueue.Entry]) -> TLSError {
        let message = OpenSSLErrorQueue.message(entries, fallback: "handshake failed")
        for entry in entries where entry.library == ERR_LIB_SSL {
            switch entry.reason {
            case SSL_R_CERTIFICATE_VERIFY_FAILED:
                let result = SSL_get_verify_result(ssl)
                guard result != X509_V_OK else { continue }
                let reason = X509_verify_cert_error_string(result).map { String(cString: $0) } ?? message
                return .peerCertificateRejected(Self.problem(verifyResult: result), reason: reason)
            case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE:
                return .peerCertificateMissing(reason: entry.text)
            case SSL_R_UNSUPPORTED_PROTOCOL, SSL_R_NO_PROTOCOLS_AVAILABLE, SSL_R_VERSION_TOO_LOW:
                return .unsupportedVersion(reason: entry.text)
            case SSL_AD_REASON_OFFSET...:
                return .alertReceived(reason: entry.text)
            default:
                continue
            }
        }
        return .protocolError(reason: message)
    }

    private static func problem(verifyResult: Int) -> TLSError.CertificateProblem {
        switch Int32(truncatingIfNeeded: verifyResult) {
        case X509_V_ERR_HOSTNAME_MISMATCH, X509_V_ERR_IP_ADDRESS_MISMATCH:
            .nameMismatch
        case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT,
            X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN, X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT,
            X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
            .untrustedIssuer
        case X509_V_ERR_CERT_HAS_EXPIRED:
            .expired
        case X509_V_ERR_CERT_NOT_YET_VALID:
            .notYetValid
        default:
            .other(code: verifyResult)
        }
    }

    private func drainWriteBIO() -> [UInt8] {
        let pending = Int(BIO_ctrl_pending(writeBIO))
        guard pending > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: pending) { buffer, count in
            count = max(0, Int(BIO_read(writeBIO, buffer.baseAddress, Int32(pending))))
        }
    }

    @inline(__always)
    private func assertConfined() {
        #if DEBUG
        if let queue { dispatchPrecondition(condition: .onQueue(queue)) }
        #endif
    }
}
