/// An IP subnet in CIDR form (`10.20.0.0/16`, `2001:db8:1::/48`), for
/// mapping a caller's source address to the building it is in.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The network address with host bits cleared.
    public let address: IPAddress
    public let prefixLength: Int

    /// Parses `address/length`; a bare address is a host route (/32 or /128).
    public init(_ text: String) throws(EmergencyConfigurationError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .invalidNetwork(text) }
        let addr: IPAddress
        do { addr = try IPAddress(String(parts[0])) } catch { throw .invalidNetwork(text) }
        let maxLength = addr.bytes.count * 8
        var length = maxLength
        if parts.count == 2 {
            guard let l = Int(parts[1]), (0...maxLength).contains(l), parts[1].allSatisfy(\.isASCII)
            else { throw .invalidNetwork(text) }
            length = l
        }
        prefixLength = length
        address = IPAddress(bytes: Self.masked(addr.bytes, length))
    }

    public var description: String { "\(address)/\(prefixLength)" }

    /// Whether `ip` is inside this network (same family, same leading bits).
    public func contains(_ ip: IPAddress) -> Bool {
        ip.bytes.count == address.bytes.count && Self.masked(ip.bytes, prefixLength) == address.bytes
    }

    static func masked(_ bytes: [UInt8], _ length: Int) -> [UInt8] {
        var out = bytes
        for i in out.indices {
            let bitsHere = min(max(length - i * 8, 0), 8)
            out[i] &= bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xff << (8 - bitsHere))
        }
        return out
    }
}
