import COpenSSL

/// HMAC-SHA-256 (RFC 2104) through OpenSSL's EVP_MAC; signs stateless nonces
/// and derives keys.
public enum HMACSHA256 {
    public static let outputByteCount = 32

    /// A code under a key used once; for a key used per request, keep a `Key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Key(key).authenticationCode(message)
    }

    /// A key made ready once: the MAC fetched and the key's inner and outer
    /// pads hashed. Each code copies that state, so it costs the message's
    /// own hashing, not a provider lookup and a key schedule (which made up
    /// most of a one-shot `HMAC()` call).
    ///
    /// `@unchecked Sendable`: the keyed context is written only in `init`;
    /// afterwards it is only duplicated, which reads it.
    public final class Key: @unchecked Sendable {
        private let context: OpaquePointer

        public init(_ key: [UInt8]) {
            guard let mac = EVP_MAC_fetch(nil, "HMAC", nil), let context = EVP_MAC_CTX_new(mac) else {
                preconditionFailure("HMAC unavailable in OpenSSL")
            }
            EVP_MAC_free(mac)
            var digest = Array("SHA256".utf8CString)
            let ok = digest.withUnsafeMutableBufferPointer { name in
                var params = [OSSL_PARAM_construct_utf8_string("digest", name.baseAddress, 0), OSSL_PARAM_construct_end()]
                return key.withUnsafeBufferPointer { k in EVP_MAC_init(context, k.baseAddress, k.count, &params) }
            }
            // Fails only on allocation failure or a missing provider, neither recoverable.
            precondition(ok == 1, "HMAC-SHA-256 key setup failed")
            self.context = context
        }

        deinit { EVP_MAC_CTX_free(context) }

        public func authenticationCode(_ message: [UInt8]) -> [UInt8] {
            guard let copy = EVP_MAC_CTX_dup(context) else { preconditionFailure("HMAC-SHA-256 context copy failed") }
            defer { EVP_MAC_CTX_free(copy) }
            var out = [UInt8](repeating: 0, count: HMACSHA256.outputByteCount)
            var length = 0
            let updated = message.withUnsafeBufferPointer { m in EVP_MAC_update(copy, m.baseAddress, m.count) }
            let finished = out.withUnsafeMutableBufferPointer { o in EVP_MAC_final(copy, o.baseAddress, &length, o.count) }
            precondition(updated == 1 && finished == 1 && length == HMACSHA256.outputByteCount, "HMAC-SHA-256 failed")
            return out
        }
    }
}
