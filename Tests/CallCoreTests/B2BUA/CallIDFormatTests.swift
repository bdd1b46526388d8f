import Testing

@testable import CallCore

@Suite("B2BUA Call-IDs find their shard")
struct CallIDFormatTests {
    @Test("DESIGN.md sharding: a generated Call-ID names its shard and hashes to it")
    func shardEncoded() {
        var generator = SystemRandomNumberGenerator()
        for shard in 0..<4 {
            let callID = CallIDFormat.make(shard: shard, shardCount: 4, using: &generator)
            #expect(CallIDFormat.shard(of: callID) == shard)
            #expect(CallIDFormat.hashShard(callID, shardCount: 4) == shard)
        }
        #expect(CallIDFormat.shard(of: "a84b4c76e66710@pc33.atlanta.com") == nil)
        for foreign in ["b2b-s-1f", "b2b-s1", "b2b-s1-", "b2b-s1-1f-2", "b2b-s1-1f@host", "B2B-s1-1f"] {
            #expect(CallIDFormat.shard(of: foreign) == nil, "\(foreign)")
        }
    }
}
