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

    mutating func reset(carrierCount: Int) {
        if rateIndex.count != carrierCount {
            self = RateLookup(carrierCount: carrierCount)
            return
        }
        for i in 0..<carrierCount {
            rateIndex[i] = -1
            prefixLength[i] = 0
        }
    }

    mutating func set(carrier: Int, rateIndex index: Int32, prefixLength length: UInt8) {
        rateIndex[carrier] = index
        prefixLength[carrier] = length
    }

    /// Whether any carrier matched.
    public var isEmpty: Bool { !rateIndex.contains { $0 >= 0 } }
}
