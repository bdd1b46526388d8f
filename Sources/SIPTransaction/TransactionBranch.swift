/// Via branches that Switchboard generates (RFC 3261 8.1.1.7): the magic
/// cookie, the shard that owns the transaction, and 64 random bits, e.g.
/// `z9hG4bK-s3-9f86d081884c7d65`. A response's branch names the shard whose
/// queue holds its client transaction, so it needs no lookup to find it.
public enum TransactionBranch {
    public static let magicCookie = "z9hG4bK"
    static let prefix = Array("z9hG4bK-s".utf8)

    /// A new branch for a transaction owned by `shard`.
    public static func make(shard: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return make(shard: shard, using: &generator)
    }

    /// A new branch drawing its random part from `generator`.
    public static func make(shard: Int, using generator: inout some RandomNumberGenerator) -> String {
        precondition(shard >= 0, "shards are numbered from 0")
        let hex = String(generator.next() as UInt64, radix: 16)
        return "z9hG4bK-s\(shard)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// The shard encoded in a branch this format made, or nil for any other branch.
    public static func shard(of branch: String) -> Int? {
        var utf8 = branch.utf8[...]
        guard utf8.starts(with: prefix) else { return nil }
        utf8 = utf8.dropFirst(prefix.count)
        var shard = 0
        var digits = 0
        while let b = utf8.first, b >= 0x30, b <= 0x39 {
            guard digits < 9 else { return nil }
            shard = shard * 10 + Int(b - 0x30)
            digits += 1
            utf8 = utf8.dropFirst()
        }
        guard digits > 0, utf8.first == UInt8(ascii: "-"), utf8.count > 1 else { return nil }
        return shard
    }
}
