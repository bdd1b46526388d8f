import COpenSSL
import Synchronization

extension DigestAlgorithm {
    /// An OpenSSL message digest fetched once. `EVP_md5()` and friends are
    /// placeholders that make every `EVP_Digest` call look the provider's
    /// implementation up again.
    ///
    /// `@unchecked Sendable`: a fetched `EVP_MD` is immutable and may be shared between threads.
    private struct Fetched: @unchecked Sendable {
        let md: OpaquePointer

        init(_ name: String) {
            guard let md = EVP_MD_fetch(nil, name, nil) else { preconditionFailure("OpenSSL has no \(name)") }
            self.md = md
        }
    }

    /// Digest contexts kept for reuse, so that a hash on the hot path does
    /// not allocate a context and its state each time (as `EVP_Digest`
    /// does). A context is used by one thread at a time; a few are kept.
    private final class ContextPool: Sendable {
        /// `@unchecked Sendable`: an `EVP_MD_CTX` used by one thread at a time.
        private struct Context: @unchecked Sendable {
            let pointer: OpaquePointer
        }

        private let spares = Mutex<[Context]>([])
        private static let maxSpares = 16

        func withContext<R>(_ body: (OpaquePointer) -> R) -> R {
            let context = spares.withLock { $0.popLast() } ?? {
                guard let pointer = EVP_MD_CTX_new() else { preconditionFailure("EVP_MD_CTX_new failed") }
                return Context(pointer: pointer)
            }()
            let result = body(context.pointer)
            let kept = spares.withLock { list in
                guard list.count < Self.maxSpares else { return false }
                list.append(context)
                return true
            }
            if !kept { EVP_MD_CTX_free(context.pointer) }
            return result
        }
    }

    private static let contexts = ContextPool()

    private static let fetchedMD5 = Fetched("MD5")
    private static let fetchedSHA256 = Fetched("SHA256")
    private static let fetchedSHA512_256 = Fetched("SHA512-256")

    /// The OpenSSL message digest behind the algorithm token (RFC 7616 section 6.1).
    var messageDigest: OpaquePointer {
        switch self {
        case .md5: Self.fetchedMD5.md
        case .sha256: Self.fetchedSHA256.md
        case .sha512_256: Self.fetchedSHA512_256.md
        }
    }

    /// Bytes of `H(data)`.
    var digestByteCount: Int { self == .md5 ? 16 : 32 }

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
        out.removeLast(out.count - Int(length))
        return out
    }

    /// `H(data)` written to the start of `out` (at least `digestByteCount` bytes); returns its length.
    func hash(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Int {
        precondition(out.count >= Int(EVP_MAX_MD_SIZE), "digest output buffer too small")
        if self == .md5 {
            MD5.hash(data, into: out)
            return MD5.byteCount
        }
        var length: UInt32 = 0
        let md = messageDigest
        let ok = Self.contexts.withContext { context in
            EVP_DigestInit_ex2(context, md, nil) == 1 && EVP_DigestUpdate(context, data.baseAddress, data.count) == 1
                && EVP_DigestFinal_ex(context, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1
        }
        precondition(ok, "EVP_Digest(\(rawValue)) failed")
        return Int(length)
    }

    /// `H(data)` as lowercase hex, the form every digest value travels in.
    public func hexDigest(_ text: String) -> String {
        Hex.lowercase(hash(Array(text.utf8)))
    }
}
