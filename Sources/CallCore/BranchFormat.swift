/// Switchboard's branch parameters: `z9hG4bK-s<shard>-<loop hash>-<unique>`.
/// The magic cookie makes them RFC 3261 branches; the shard lets a response
/// find its shard without a lookup (DESIGN.md); the loop hash lets a request
/// that comes back be recognised (RFC 3261 16.6 step 8).
public enum BranchFormat {
    public static func make(shard: Int, loopHash: UInt32, unique: UInt64) -> String {
        // Written byte by byte: one string per forwarded request, nothing else made.
        let prefix = "z9hG4bK-s".utf8
        let shardDigits = String(shard)
        return String(unsafeUninitializedCapacity: prefix.count + shardDigits.utf8.count + 22) { out in
            var n = 0
            for b in prefix {
                out[n] = b
                n += 1
            }
            for b in shardDigits.utf8 {
                out[n] = b
                n += 1
            }
            writeHex(UInt64(loopHash), width: 8, into: out, at: &n)
            writeHex(unique, width: 12, into: out, at: &n)
            return n
        }
    }

    /// `-` and the low `width` hex digits of `value`, zero-padded.
    private static func writeHex(_ value: UInt64, width: Int, into out: UnsafeMutableBufferPointer<UInt8>, at n: inout Int) {
        out[n] = UInt8(ascii: "-")
        n += 1
        for k in stride(from: width - 1, through: 0, by: -1) {
            let digit = UInt8(truncatingIfNeeded: (value >> (4 * UInt64(k))) & 0xF)
            out[n] = digit < 10 ? UInt8(ascii: "0") + digit : UInt8(ascii: "a") + digit - 10
            n += 1
        }
    }

    /// The shard encoded in one of our branches.
    public static func shard(of branch: String) -> Int? {
        parse(branch)?.shard
    }

    /// The loop hash encoded in one of our branches.
    public static func loopHash(of branch: String) -> UInt32? {
        parse(branch)?.loopHash
    }

    /// Reads `z9hG4bK-s<decimal>-<hex>-<hex>` over the UTF-8 bytes: every
    /// message passes here, so no substrings are made.
    static func parse(_ branch: String) -> (shard: Int, loopHash: UInt32)? {
        var text = branch
        return text.withUTF8 { bytes -> (Int, UInt32)? in
            var scanner = IdentifierScanner(bytes)
            guard scanner.skip("z9hG4bK-s"), let shard = scanner.decimal(), scanner.skip("-"),
                let hash = scanner.hex(), hash <= UInt64(UInt32.max), scanner.skip("-"), scanner.hex() != nil, scanner.atEnd
            else { return nil }
            return (shard, UInt32(hash))
        }
    }

}

/// Reads the identifiers Switchboard generates (branches, Call-IDs) from their bytes.
struct IdentifierScanner {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { position == bytes.count }

    /// Consumes `literal` if the bytes continue with it.
    mutating func skip(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for i in 0..<count where bytes[position + i] != literal.utf8Start[i] { return false }
        position += count
        return true
    }

    /// One to 18 decimal digits.
    mutating func decimal() -> Int? {
        var value = 0
        let start = position
        while position < bytes.count, position - start < 18, bytes[position] >= 0x30, bytes[position] <= 0x39 {
            value = value * 10 + Int(bytes[position] - 0x30)
            position += 1
        }
        return position > start ? value : nil
    }

    /// One to 16 hexadecimal digits.
    mutating func hex() -> UInt64? {
        var value: UInt64 = 0
        let start = position
        while position < bytes.count, position - start < 16 {
            let b = bytes[position]
            let digit: UInt8
            switch b {
            case 0x30...0x39: digit = b - 0x30
            case 0x61...0x66: digit = b - 0x61 + 10
            case 0x41...0x46: digit = b - 0x41 + 10
            default: return position > start ? value : nil
            }
            value = value << 4 | UInt64(digit)
            position += 1
        }
        return position > start ? value : nil
    }
}
