import COpenSSL

extension DigestAlgorithm {
    /// The OpenSSL message digest behind the algorithm token (RFC 7616 section 6.1).
    var messageDigest: OpaquePointer {
        switch self {
        case .md5: EVP_md5()
        case .sha256: EVP_sha256()
        case .sha512_256: EVP_sha512_256()
        }
    }

    /// `H(data)` of RFC 7616 section 3.4.1, raw bytes.
    public func hash<Bytes: Collection<UInt8>>(_ data: Bytes) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let md = messageDigest
        let ok = data.withContiguousStorageIfAvailable { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, md, nil)
        } ?? Array(data).withUnsafeBufferPointer { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, md, nil)
        }
        // EVP_Digest fails only on allocation failure or a missing provider,
        // neither of which a running server can recover from.
        precondition(ok == 1, "EVP_Digest(\(rawValue)) failed")
        return Array(out.prefix(Int(length)))
    }

    /// `H(data)` as lowercase hex, the form every digest value travels in.
    public func hexDigest(_ text: String) -> String {
        Hex.lowercase(hash(Array(text.utf8)))
    }
}
