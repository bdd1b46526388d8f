/// Unpadded base64url (RFC 4648 section 5): nonces stay within token
/// characters and need no escaping in a quoted string.
enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var i = 0
        while i + 3 <= bytes.count {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            i += 3
        }
        let rest = bytes.count - i
        if rest == 1 {
            let n = UInt32(bytes[i]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
        } else if rest == 2 {
            let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Each octet's 6-bit value, 0xFF for octets outside the alphabet.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = UInt8(i) }
        return table
    }()

    /// The bytes, or nil if the text is not canonical unpadded base64url.
    static func decode(_ text: String) -> [UInt8]? {
        let count = text.utf8.count
        guard count % 4 != 1 else { return nil }
        var ok = false
        // Unpadded base64url of n characters holds exactly n * 6 / 8 bytes.
        let out = [UInt8](unsafeUninitializedCapacity: count * 6 / 8) { buffer, initialized in
            ok = decode(text.utf8, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = ok ? buffer.count : 0
        }
        return ok ? out : nil
    }

    /// Decodes exactly `out.count` bytes from canonical unpadded base64url
    /// into `out`; false (with `out` undefined) when `text` is anything else.
    /// What `decode` does for a value of known length, without an array.
    static func decode(_ text: some Collection<UInt8>, into out: UnsafeMutableRawBufferPointer) -> Bool {
        let count = text.count
        guard count % 4 != 1, count * 6 / 8 == out.count else { return false }
        return text.withContiguousStorageIfAvailable { text in values.withUnsafeBufferPointer { decode(text, values: $0, into: out) } }
            ?? values.withUnsafeBufferPointer { decode(Array(text), values: $0, into: out) }
    }

    private static func decode(
        _ text: some Collection<UInt8>, values: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        var n: UInt32 = 0
        var pending = 0
        var o = 0
        for c in text {
            let v = values[Int(c)]
            guard v != 0xFF else { return false }
            n = n << 6 | UInt32(v)
            pending += 1
            if pending == 4 {
                out[o] = UInt8(n >> 16 & 0xff)
                out[o + 1] = UInt8(n >> 8 & 0xff)
                out[o + 2] = UInt8(n & 0xff)
                o += 3
                n = 0
                pending = 0
            }
        }
        if pending == 2 {
            guard n & 0x0f == 0 else { return false }
            out[o] = UInt8(n >> 4 & 0xff)
        } else if pending == 3 {
            guard n & 0x03 == 0 else { return false }
            out[o] = UInt8(n >> 10 & 0xff)
            out[o + 1] = UInt8(n >> 2 & 0xff)
        }
        return true
    }
}
