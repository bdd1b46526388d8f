/// A handle on one server transaction, given to the TU with the request and
/// used to respond. Only the layer of `shard` knows it.
public struct ServerTransactionID: Hashable, Sendable, CustomStringConvertible {
    public let shard: Int
    let raw: UInt64
    public var description: String { "s\(shard)/st\(raw)" }
}
