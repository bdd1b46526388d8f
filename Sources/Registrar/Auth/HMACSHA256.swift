import COpenSSL

/// HMAC-SHA-256 (RFC 2104) through OpenSSL; signs stateless nonces.
public enum HMACSHA256 {
    public static let outputByteCount = 32

    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let result = key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                HMAC(EVP_sha256(), k.baseAddress, Int32(k.count), m.baseAddress, m.count, &out, &length)
            }
        }
        precondition(result != nil && Int(length) == outputByteCount, "HMAC-SHA-256 failed")
        return Array(out.prefix(outputByteCount))
    }
}
