/// Switchboard's branch parameters: `z9hG4bK-s<shard>-<loop hash>-<unique>`.
/// The magic cookie makes them RFC 3261 branches; the shard lets a response
/// find its shard without a lookup (DESIGN.md); the loop hash lets a request
/// that comes back be recognised (RFC 3261 16.6 step 8).
public enum BranchFormat {
    public static func make(shard: Int, loopHash: UInt32, unique: UInt64) -> String {
        "z9hG4bK-s\(shard)-\(hex(UInt64(loopHash), 8))-\(hex(unique, 12))"
    }

    /// The shard encoded in one of our branches.
    public static func shard(of branch: String) -> Int? {
        let parts = branch.split(separator: "-")
        guard parts.count == 4, parts[0] == "z9hG4bK", parts[1].hasPrefix("s") else { return nil }
        return Int(parts[1].dropFirst())
    }

    /// The loop hash encoded in one of our branches.
    public static func loopHash(of branch: String) -> UInt32? {
        let parts = branch.split(separator: "-")
        guard parts.count == 4, parts[0] == "z9hG4bK", parts[1].hasPrefix("s") else { return nil }
        return UInt32(parts[2], radix: 16)
    }

    private static func hex(_ v: UInt64, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return s.count >= width ? String(s.suffix(width)) : String(repeating: "0", count: width - s.count) + s
    }
}
