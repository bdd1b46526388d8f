#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An IPv4 or IPv6 address with a port: where a media packet came from or goes to.
public struct MediaAddress: Hashable, Sendable, CustomStringConvertible {
    /// Network byte order: 4 bytes for IPv4, 16 for IPv6.
    public let addressBytes: [UInt8]
    public let port: UInt16

    public var isIPv6: Bool { addressBytes.count == 16 }

    /// Parses a numeric IPv4 or IPv6 address (without brackets); nil for host names.
    public init?(ip: String, port: UInt16) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 {
            addressBytes = withUnsafeBytes(of: v4) { Array($0) }
        } else if inet_pton(AF_INET6, ip, &v6) == 1 {
            addressBytes = withUnsafeBytes(of: v6) { Array($0) }
        } else {
            return nil
        }
        self.port = port
    }

    public init(addressBytes: [UInt8], port: UInt16) {
        precondition(addressBytes.count == 4 || addressBytes.count == 16)
        self.addressBytes = addressBytes
        self.port = port
    }

    /// The same host with another port (RTCP on RTP + 1, a pool port on a local address).
    public func with(port: UInt16) -> MediaAddress { MediaAddress(addressBytes: addressBytes, port: port) }

    /// True for `0.0.0.0` and `::`, which SDP uses for hold (RFC 3264 8.4): nothing is sent there.
    public var isUnspecified: Bool { addressBytes.allSatisfy { $0 == 0 } }

    /// The address as text: `192.0.2.1` or `2001:db8::1` (no brackets), as SDP writes it.
    public var ip: String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = isIPv6 ? AF_INET6 : AF_INET
        _ = addressBytes.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    public var description: String { isIPv6 ? "[\(ip)]:\(port)" : "\(ip):\(port)" }

    /// Calls `body` with this address as a `sockaddr`.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        if !isIPv6 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin.sin_addr) { $0.copyBytes(from: addressBytes) }
            return try withUnsafePointer(to: &sin) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &sin6.sin6_addr) { $0.copyBytes(from: addressBytes) }
        return try withUnsafePointer(to: &sin6) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }

    /// Reads an address from a `sockaddr_storage` filled by the kernel.
    init?(storage: UnsafePointer<sockaddr_storage>) {
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            let sin = UnsafeRawPointer(storage).load(as: sockaddr_in.self)
            addressBytes = withUnsafeBytes(of: sin.sin_addr) { Array($0) }
            port = UInt16(bigEndian: sin.sin_port)
        case AF_INET6:
            let sin6 = UnsafeRawPointer(storage).load(as: sockaddr_in6.self)
            addressBytes = withUnsafeBytes(of: sin6.sin6_addr) { Array($0) }
            port = UInt16(bigEndian: sin6.sin6_port)
        default:
            return nil
        }
    }
}
