extension RateDeck {
    /// Indices of `rows` by prefix, then effective day, then position in the
    /// deck: a stable LSD radix sort of the packed prefixes a byte at a time,
    /// skipping the bytes every prefix shares (the low ones, for prefixes of
    /// up to 8 digits), then the short runs of one prefix by day. Linear in
    /// the row count, so a million-row deck sorts in milliseconds.
    static func prefixOrder(_ rows: [Row]) -> [UInt32] {
        let n = rows.count
        var order = [UInt32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = UInt32(truncatingIfNeeded: i) }
            count = n
        }
        guard n > 1 else { return order }
        var keys = rows.map(\.prefix.packed)
        var counts = [Int](repeating: 0, count: 8 * 256)
        keys.withUnsafeBufferPointer { keys in
            counts.withUnsafeMutableBufferPointer { counts in
                for key in keys {
                    for byte in 0..<8 { counts[byte &* 256 &+ Int(truncatingIfNeeded: key >> UInt64(byte &* 8)) & 0xFF] &+= 1 }
                }
            }
        }
        var scratchKeys = keys
        var scratchOrder = order
        for byte in 0..<8 {
            let shift = UInt64(byte * 8)
            let sorted: Bool = counts.withUnsafeMutableBufferPointer { counts in
                let histogram = UnsafeMutableBufferPointer(rebasing: counts[byte * 256..<byte * 256 + 256])
                // Every key has the same byte here: the pass would change nothing.
                if histogram.contains(n) { return false }
                var offset = 0
                for i in 0..<256 {
                    let c = histogram[i]
                    histogram[i] = offset
                    offset &+= c
                }
                keys.withUnsafeBufferPointer { keys in
                    order.withUnsafeBufferPointer { order in
                        scratchKeys.withUnsafeMutableBufferPointer { outKeys in
                            scratchOrder.withUnsafeMutableBufferPointer { outOrder in
                                for i in 0..<n {
                                    let bucket = Int(truncatingIfNeeded: keys[i] >> shift) & 0xFF
                                    let slot = histogram[bucket]
                                    histogram[bucket] = slot &+ 1
                                    outKeys[slot] = keys[i]
                                    outOrder[slot] = order[i]
                                }
                            }
                        }
                    }
                }
                return true
            }
            if sorted {
                swap(&keys, &scratchKeys)
                swap(&order, &scratchOrder)
            }
        }
        // Runs of one prefix: by effective day; the radix sort kept deck order within.
        rows.withUnsafeBufferPointer { rows in
            keys.withUnsafeBufferPointer { keys in
                order.withUnsafeMutableBufferPointer { order in
                    var start = 0
                    while start < n {
                        var end = start &+ 1
                        while end < n, keys[end] == keys[start] { end &+= 1 }
                        if end &- start > 1 {
                            var run = UnsafeMutableBufferPointer(rebasing: order[start..<end])
                            run.sort { a, b in
                                let da = rows[Int(a)].day
                                let db = rows[Int(b)].day
                                return da != db ? da < db : a < b
                            }
                        }
                        start = end
                    }
                }
            }
        }
        return order
    }
}
