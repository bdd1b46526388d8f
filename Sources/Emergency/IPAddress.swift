#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as 4 or 16 bytes in network order, parsed with
/// `inet_pton`. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) is taken as
/// the IPv4 address it maps, so a dual-stack socket's peer still matches an
/// IPv4 subnet.
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    /// 4 bytes for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public var isIPv4: Bool { bytes.count == 4 }

    public init(_ text: String) throws(EmergencyConfigurationError) {
        var trimmed = Substring(text)
        if trimmed.first == "[", trimmed.last == "]" { trimmed = trimmed.dropFirst().dropLast() }
        // A zone index (`fe80::1%eth0`) names an interface, not part of the address.
        if let percent = trimmed.firstIndex(of: "%") { trimmed = trimmed[..<percent] }
        let s = String(trimmed)
        var v4 = in_addr()
        if inet_pton(AF_INET, s, &v4) == 1 {
            bytes = withUnsafeBytes(of: &v4) { Array($0) }
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, s, &v6) == 1 else { throw .invalidIPAddress(text) }
        let b = withUnsafeBytes(of: &v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff {
            bytes = Array(b[12..<16])
        } else {
            bytes = b
        }
    }

    init(bytes: [UInt8]) { self.bytes = bytes }

    public var description: String {
        if isIPv4 { return bytes.map(String.init).joined(separator: ".") }
        var groups: [String] = []
        for i in stride(from: 0, to: 16, by: 2) {
            groups.append(String(UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]), radix: 16))
        }
        return groups.joined(separator: ":")
    }
}
