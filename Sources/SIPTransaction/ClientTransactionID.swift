/// A handle on one client transaction, returned by `sendRequest` and given
/// back with its responses. Only the layer of `shard` knows it.
public struct ClientTransactionID: Hashable, Sendable, CustomStringConvertible {
    public let shard: Int
    let raw: UInt64
    public var description: String { "s\(shard)/ct\(raw)" }
}
