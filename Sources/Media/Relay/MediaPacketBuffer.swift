/// A packet being relayed, rewritten where it was received: `count` bytes at
/// `base`, with room for `capacity` (the relay leaves headroom after every
/// receive slot, so an SRTP tag is added without a copy).
public struct MediaPacketBuffer {
    public let base: UnsafeMutableRawPointer
    public var count: Int
    public let capacity: Int

    public init(base: UnsafeMutableRawPointer, count: Int, capacity: Int) {
        precondition(count >= 0 && count <= capacity, "packet of \(count) bytes in a buffer of \(capacity)")
        self.base = base
        self.count = count
        self.capacity = capacity
    }

    /// The packet's bytes.
    @inlinable
    public var bytes: UnsafeMutableRawBufferPointer { UnsafeMutableRawBufferPointer(start: base, count: count) }

    /// Bytes that may still be added at the end.
    @inlinable
    public var spareCapacity: Int { capacity - count }

    @inlinable
    public subscript(offset: Int) -> UInt8 {
        get { base.load(fromByteOffset: offset, as: UInt8.self) }
        nonmutating set { base.storeBytes(of: newValue, toByteOffset: offset, as: UInt8.self) }
    }

    /// Replaces the packet with `bytes` when they fit; false (and unchanged) when they do not.
    public mutating func replace(with bytes: [UInt8]) -> Bool {
        guard bytes.count <= capacity else { return false }
        bytes.withUnsafeBytes { source in
            if let from = source.baseAddress { base.copyMemory(from: from, byteCount: source.count) }
        }
        count = bytes.count
        return true
    }
}
