import COpenSSL
import Synchronization

/// HMAC-SHA-256 (RFC 2104) through OpenSSL's EVP_MAC; signs stateless nonces
/// and derives keys.
public enum HMACSHA256 {
    public static let outputByteCount = 32

    /// A code under a key used once; for a key used per request, keep a `Key`.
    public static func authenticationCode(key: [UInt8], message: [UInt8]) -> [UInt8] {
        Key(key).authenticationCode(message)
    }

    /// A key made ready once: the MAC fetched and the key's inner and outer
    /// pads hashed. A code re-initializes a spare keyed context from those
    /// pads, so it costs the message's own hashing, not a provider lookup,
    /// a key schedule and allocations (which made up most of a one-shot
    /// `HMAC()` call). Spare contexts are kept for the threads that sign at
    /// once, a few at most.
    public final class Key: Sendable {
        /// An `EVP_MAC_CTX` holding this key. `@unchecked Sendable`: used by one thread at a time.
        private struct Context: @unchecked Sendable {
            let pointer: OpaquePointer
        }

        /// Only duplicated (read) after `init`.
        private let keyed: Context
        private let spares = Mutex<[Context]>([])
        private static let maxSpares = 16

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
            keyed = Context(pointer: context)
        }

        deinit {
            EVP_MAC_CTX_free(keyed.pointer)
            spares.withLock { list in
                for spare in list { EVP_MAC_CTX_free(spare.pointer) }
            }
        }

        public func authenticationCode(_ message: [UInt8]) -> [UInt8] {
            [UInt8](unsafeUninitializedCapacity: HMACSHA256.outputByteCount) { out, initialized in
                message.withUnsafeBytes { m in authenticationCode(m, into: UnsafeMutableRawBufferPointer(out)) }
                initialized = HMACSHA256.outputByteCount
            }
        }

        /// The code of `message`, written to the first `outputByteCount` bytes of `out`.
        public func authenticationCode(_ message: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
            precondition(out.count >= HMACSHA256.outputByteCount, "HMAC output buffer too small")
            let context = spares.withLock { $0.popLast() } ?? duplicate()
            // A NULL key starts over from the pads the context already holds.
            var ok = EVP_MAC_init(context.pointer, nil, 0, nil) == 1
            var length = 0
            ok = ok && EVP_MAC_update(context.pointer, message.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count) == 1
            ok = ok && EVP_MAC_final(context.pointer, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length, out.count) == 1
            precondition(ok && length == HMACSHA256.outputByteCount, "HMAC-SHA-256 failed")
            let kept = spares.withLock { list in
                guard list.count < Self.maxSpares else { return false }
                list.append(context)
                return true
            }
            if !kept { EVP_MAC_CTX_free(context.pointer) }
        }

        private func duplicate() -> Context {
            guard let copy = EVP_MAC_CTX_dup(keyed.pointer) else { preconditionFailure("HMAC-SHA-256 context copy failed") }
            return Context(pointer: copy)
        }
    }
}
