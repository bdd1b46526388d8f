/// Per-carrier results of one `RateTable` lookup, reusable across lookups so
/// that the hot path allocates nothing.
public struct RateLookup: Sendable {
    /// Per carrier: the index of its rate in the table (for `RateTable.rate(at:)`), -1 for none.
    public private(set) var rateIndex: [Int32]
    /// Per carrier: the length of its matching prefix, 0 for none.
    public private(set) var prefixLength: [UInt8]

    public init(carrierCount: Int) {
        rateIndex = Array(repeating: -1, count: carrierCount)
        prefixLength = Array(repeating: 0, count: carrierCount)
    }

    /// Clears the results for `carrierCount` carriers and lends `body` both
    /// arrays' storage, so that a table walk writes its matches without a
    /// uniqueness check per write.
    @inline(__always)
    mutating func withClearedStorage<R>(
        carrierCount: Int, _ body: (UnsafeMutableBufferPointer<Int32>, UnsafeMutableBufferPointer<UInt8>) -> R
    ) -> R {
        if rateIndex.count != carrierCount { self = RateLookup(carrierCount: carrierCount) }
        return rateIndex.withUnsafeMutableBufferPointer { indices in
            prefixLength.withUnsafeMutableBufferPointer { lengths in
                indices.update(repeating: -1)
                lengths.update(repeating: 0)
                return body(indices, lengths)
            }
        }
    }

    /// Whether any carrier matched.
    public var isEmpty: Bool { !rateIndex.contains { $0 >= 0 } }
}
