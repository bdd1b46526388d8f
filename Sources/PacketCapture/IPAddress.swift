/// An IPv4 or IPv6 address as found in a packet header.
///
/// `description` is the text form SIP and tshark use: dotted quad, or IPv6
/// in the RFC 5952 canonical form (lower case, longest zero run compressed,
/// IPv4-mapped addresses as `::ffff:a.b.c.d`).
public enum IPAddress: Hashable, Sendable, CustomStringConvertible {
    case v4(UInt32)
    case v6(high: UInt64, low: UInt64)

    /// Reads 4 or 16 network-order bytes.
    init(_ bytes: ArraySlice<UInt8>) {
        if bytes.count == 4 {
            self = .v4(bytes.u32(0))
        } else {
            self = .v6(high: bytes.u64(0), low: bytes.u64(8))
        }
    }

    public init(v4 a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8) {
        self = .v4(UInt32(a) << 24 | UInt32(b) << 16 | UInt32(c) << 8 | UInt32(d))
    }

    /// The eight 16-bit groups of an IPv6 address.
    public init(v6 groups: [UInt16]) {
        precondition(groups.count == 8, "an IPv6 address has eight groups")
        var high: UInt64 = 0
        var low: UInt64 = 0
        for group in groups[0..<4] { high = high << 16 | UInt64(group) }
        for group in groups[4..<8] { low = low << 16 | UInt64(group) }
        self = .v6(high: high, low: low)
    }

    /// Network-order bytes: 4 for IPv4, 16 for IPv6.
    public var bytes: [UInt8] {
        switch self {
        case .v4(let value):
            return (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) }
        case .v6(let high, let low):
            return (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
                + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        }
    }

    public var description: String {
        switch self {
        case .v4(let value):
            return Self.dotted(value)
        case .v6(let high, let low):
            let groups = (0..<4).map { UInt16(truncatingIfNeeded: high >> (48 - 16 * $0)) }
                + (0..<4).map { UInt16(truncatingIfNeeded: low >> (48 - 16 * $0)) }
            if high == 0, low >> 32 == 0xFFFF {
                return "::ffff:" + Self.dotted(UInt32(truncatingIfNeeded: low))
            }
            return Self.canonical(groups)
        }
    }

    private static func dotted(_ value: UInt32) -> String {
        (0..<4).map { String((value >> (24 - 8 * $0)) & 0xFF) }.joined(separator: ".")
    }

    /// RFC 5952 section 4: compress the first longest run of two or more zero groups.
    private static func canonical(_ groups: [UInt16]) -> String {
        var bestStart = -1
        var bestLength = 1
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        let text = groups.map { String($0, radix: 16) }
        guard bestStart >= 0 else {
            return text.joined(separator: ":")
        }
        let head = text[..<bestStart].joined(separator: ":")
        let tail = text[(bestStart + bestLength)...].joined(separator: ":")
        return head + "::" + tail
    }
}
