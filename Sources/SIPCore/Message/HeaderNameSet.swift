/// The names a message's header index holds, as a bit per well-known name:
/// an accessor for a header the message lacks returns without walking the
/// index. Names beyond the mask (and `.other`) are always "maybe present".
@usableFromInline
struct HeaderNameSet: Sendable, Hashable {
    @usableFromInline var bits: UInt64 = 0
    /// Names seen more than once.
    var repeated: UInt64 = 0

    init() {}

    init(_ fields: [HeaderField]) {
        for f in fields { insert(f.name) }
    }

    @inline(__always)
    mutating func insert(_ name: HeaderName) {
        guard name.id < 64 else { return }
        let bit: UInt64 = 1 &<< UInt64(name.id)
        repeated |= bits & bit
        bits |= bit
    }

    /// False only when the index holds at most one field of this name.
    @inline(__always)
    func mayRepeat(_ name: HeaderName) -> Bool {
        name.id >= 64 || name.id == 0 || repeated & (1 &<< UInt64(name.id)) != 0
    }

    /// False only when no field of this name is in the index.
    @inlinable
    func mayContain(_ name: HeaderName) -> Bool {
        name.id >= 64 || name.id == 0 || bits & (1 &<< UInt64(name.id)) != 0
    }
}
