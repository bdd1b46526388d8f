/// Call-IDs the B2BUA generates for the legs it originates:
/// `b2b-s<shard>-<unique>`. The shard lets a request in the dialog find its
/// shard by reading it (DESIGN.md); the unique part is also chosen so that
/// the shard a Call-ID hash gives (`FNV1a % shardCount`, how requests are
/// spread) is the same shard.
public enum CallIDFormat {
    public static func make(shard: Int, shardCount: Int, using generator: inout some RandomNumberGenerator) -> String {
        var candidate = ""
        // About `shardCount` tries on average; bounded all the same.
        for _ in 0..<max(64, 64 * shardCount) {
            candidate = "b2b-s\(shard)-\(hex(generator.next()))"
            if shardCount <= 1 || hashShard(candidate, shardCount: shardCount) == shard { break }
        }
        return candidate
    }

    /// The shard encoded in one of our Call-IDs.
    public static func shard(of callID: String) -> Int? {
        var text = callID
        return text.withUTF8 { bytes in
            var scanner = IdentifierScanner(bytes)
            guard scanner.skip("b2b-s"), let shard = scanner.decimal(), scanner.skip("-"), scanner.hex() != nil, scanner.atEnd
            else { return nil }
            return shard
        }
    }

    /// The shard a Call-ID is hashed to.
    public static func hashShard(_ callID: String, shardCount: Int) -> Int {
        var hash = FNV1a()
        hash.add(bytes: callID.utf8)
        return Int(hash.value % UInt32(shardCount))
    }

    static func hex(_ value: UInt64) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }
}
