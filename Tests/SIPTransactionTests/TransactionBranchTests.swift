import SIPTransaction
import Testing

/// A deterministic generator for branch tests.
struct CountingGenerator: RandomNumberGenerator {
    var value: UInt64
    mutating func next() -> UInt64 {
        value &+= 1
        return value
    }
}

@Suite("Branches")
struct TransactionBranchTests {
    @Test("8.1.1.7: branches start with the magic cookie and carry the shard and 64 random bits")
    func format() {
        var generator = CountingGenerator(value: 0xab)
        #expect(TransactionBranch.make(shard: 3, using: &generator) == "z9hG4bK-s3-00000000000000ac")
        let branch = TransactionBranch.make(shard: 12)
        #expect(branch.hasPrefix("z9hG4bK-s12-"))
        #expect(branch.count == "z9hG4bK-s12-".count + 16)
        let allHex = branch.dropFirst("z9hG4bK-s12-".count).allSatisfy { $0.isHexDigit }
        #expect(allHex)
    }

    @Test("The shard reads back from a branch, and not from anyone else's")
    func shardRoundTrip() {
        for shard in [0, 1, 7, 123] {
            #expect(TransactionBranch.shard(of: TransactionBranch.make(shard: shard)) == shard)
        }
        for other in ["z9hG4bK776asdhds", "z9hG4bK-s-1234", "z9hG4bK-sx-12", "z9hG4bK-s3-", "z9hG4bK-s3", "z9hG4bK", "", "z9hG4bK-s99999999999-1"] {
            #expect(TransactionBranch.shard(of: other) == nil, "\(other)")
        }
    }

    @Test("8.1.1.7: branches are unique")
    func unique() {
        let branches = Set((0..<1_000).map { _ in TransactionBranch.make(shard: 0) })
        #expect(branches.count == 1_000)
    }
}
