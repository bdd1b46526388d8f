import COpenSSL
import CSwitchboardShims

extension TLSSession {
    /// The protocol version agreed in the handshake; nil before it completes.
    public var negotiatedVersion: TLSVersion? {
        guard isHandshakeComplete else { return nil }
        return TLSVersion(openSSLValue: SSL_version(ssl))
    }

    /// The cipher suite agreed in the handshake (OpenSSL's name, e.g. `TLS_AES_256_GCM_SHA384`).
    public var negotiatedCipher: String? {
        guard isHandshakeComplete, let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) else { return nil }
        return String(cString: name)
    }

    /// The peer certificate's subject as RFC 2253 text (`CN=switchboard.test,O=Switchboard`); nil without one.
    public var peerCertificateSubject: String? {
        guard let certificate = SSL_get0_peer_certificate(ssl), let name = X509_get_subject_name(certificate) else { return nil }
        var buffer = [CChar](repeating: 0, count: 1024)
        let length = sb_x509_name_rfc2253(name, &buffer, Int32(buffer.count))
        guard length >= 0 else { return nil }
        return String(decoding: buffer.prefix(Int(length)).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Server: the host name the client asked for with SNI. Client: the name it sent.
    public var serverName: String? {
        guard let name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name) else { return nil }
        return String(cString: name)
    }
}
