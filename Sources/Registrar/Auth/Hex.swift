import COpenSSL

/// Lowercase hex, as digest values are written (RFC 7616 section 3.4.1),
/// and the constant-time comparison that checking them needs.
enum Hex {
    private static let digits: StaticString = "0123456789abcdef"

    static func lowercase(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: lowercaseBytes(bytes), as: UTF8.self)
    }

    /// The lowercase hex digits as bytes, for input to another hash.
    static func lowercaseBytes(_ bytes: some Collection<UInt8>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count * 2) { out, initialized in
            var i = 0
            for b in bytes {
                out[i] = digit(b >> 4)
                out[i + 1] = digit(b & 0x0f)
                i += 2
            }
            initialized = i
        }
    }

    /// Writes the lowercase hex digits of `bytes` to the start of `out`,
    /// which holds at least twice as many bytes; returns how many it wrote.
    @discardableResult
    static func writeLowercase(_ bytes: UnsafeRawBufferPointer, to out: UnsafeMutableRawBufferPointer) -> Int {
        precondition(out.count >= bytes.count * 2, "hex output buffer too small")
        var i = 0
        for b in bytes {
            out[i] = digit(b >> 4)
            out[i + 1] = digit(b & 0x0f)
            i += 2
        }
        return i
    }

    @inline(__always)
    private static func digit(_ nibble: UInt8) -> UInt8 {
        digits.utf8Start[Int(nibble)]
    }

    /// The bytes of exactly `count * 2` lowercase hex digits; nil for anything else.
    static func decodeLowercase(_ text: String, count: Int) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count == count * 2 else { return nil }
        func nibble(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(count)
        for i in stride(from: 0, to: utf8.count, by: 2) {
            guard let high = nibble(utf8[i]), let low = nibble(utf8[i + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    /// Whether two strings are equal, in time that depends only on their
    /// lengths (CRYPTO_memcmp), so a response cannot be guessed byte by byte.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        constantTimeEqual(Array(a.utf8), Array(b.utf8))
    }

    /// Whether two byte strings are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ x: [UInt8], _ y: [UInt8]) -> Bool {
        x.withUnsafeBytes { xp in y.withUnsafeBytes { yp in constantTimeEqual(xp, yp) } }
    }

    /// Whether two byte buffers are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ x: UnsafeRawBufferPointer, _ y: UnsafeRawBufferPointer) -> Bool {
        guard x.count == y.count else { return false }
        if x.isEmpty { return true }
        return CRYPTO_memcmp(x.baseAddress, y.baseAddress, x.count) == 0
    }

    /// Whether `text`, ASCII letters lowercased, equals `lowercaseHex`, in
    /// time that depends only on the lengths: a `response` as a client may
    /// write it (RFC 7616 3.4.1 asks for lowercase; uppercase is accepted)
    /// against the expected one. Lowercasing only ASCII gives the same answer
    /// as full lowercasing here, since no other character lowercases to a hex digit.
    static func constantTimeEqualIgnoringCase(_ text: ArraySlice<UInt8>, _ lowercaseHex: UnsafeRawBufferPointer) -> Bool {
        guard text.count == lowercaseHex.count else { return false }
        return withUnsafeTemporaryAllocation(byteCount: text.count, alignment: 1) { lowered in
            var i = 0
            for b in text {
                lowered[i] = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
                i += 1
            }
            return constantTimeEqual(UnsafeRawBufferPointer(lowered), lowercaseHex)
        }
    }
}
