#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address with a port: where a datagram came from or goes to.
public struct SocketAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case ipv4, ipv6 }

    /// The address bytes in network order, kept in two words so that making,
    /// copying and comparing an address allocates nothing: IPv4 in the first
    /// four bytes of `word0` (the rest zero), IPv6 across both.
    private let word0: UInt64
    private let word1: UInt64
    public let isIPv6: Bool
    public private(set) var port: UInt16

    public var family: Family { isIPv6 ? .ipv6 : .ipv4 }

    /// Network byte order: 4 bytes for IPv4, 16 for IPv6.
    public var addressBytes: [UInt8] {
        withUnsafeBytes(of: (word0, word1)) { Array($0.prefix(isIPv6 ? 16 : 4)) }
    }

    /// Parses a numeric IPv4 or IPv6 address (without brackets).
    public init?(ip: String, port: UInt16) {
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, ip, &v4) == 1 {
            self = withUnsafeBytes(of: v4) { SocketAddress(raw: $0, port: port) }
        } else if inet_pton(AF_INET6, ip, &v6) == 1 {
            self = withUnsafeBytes(of: v6) { SocketAddress(raw: $0, port: port) }
        } else {
            return nil
        }
    }

    public init(addressBytes: [UInt8], port: UInt16) {
        precondition(addressBytes.count == 4 || addressBytes.count == 16)
        self = addressBytes.withUnsafeBytes { SocketAddress(raw: $0, port: port) }
    }

    /// 4 or 16 address bytes in network order.
    private init(raw: UnsafeRawBufferPointer, port: UInt16) {
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: raw) }
        word0 = words.0
        word1 = words.1
        isIPv6 = raw.count == 16
        self.port = port
    }

    /// Whether `other` is the same IP address, whatever its port.
    public func hasSameHost(as other: SocketAddress) -> Bool {
        word0 == other.word0 && word1 == other.word1 && isIPv6 == other.isIPv6
    }

    /// The address byte at `index` (0 is the first in network order).
    public subscript(byte index: Int) -> UInt8 {
        withUnsafeBytes(of: (word0, word1)) { $0[index] }
    }

    /// The same host with another port (RTCP on RTP + 1, a pool port on a local address).
    public func with(port: UInt16) -> SocketAddress {
        var copy = self
        copy.port = port
        return copy
    }

    /// True for `0.0.0.0` and `::`, which SDP uses for hold (RFC 3264 8.4): nothing is sent there.
    public var isUnspecified: Bool { word0 == 0 && word1 == 0 }

    /// The address as text: `192.0.2.1` or `2001:db8::1` (no brackets).
    public var ip: String {
        if !isIPv6 { return dottedQuad }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        _ = withUnsafeBytes(of: (word0, word1)) { inet_ntop(AF_INET6, $0.baseAddress, &buffer, socklen_t(buffer.count)) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `a.b.c.d` written straight into a string's bytes: the text of every
    /// IPv4 address compared with a Via or a URI host, so it is made often.
    private var dottedQuad: String {
        String(unsafeUninitializedCapacity: 15) { out in
            var n = 0
            for k in 0..<4 {
                let byte = self[byte: k]
                if k > 0 {
                    out[n] = UInt8(ascii: ".")
                    n += 1
                }
                if byte >= 100 {
                    out[n] = UInt8(ascii: "0") + byte / 100
                    n += 1
                }
                if byte >= 10 {
                    out[n] = UInt8(ascii: "0") + byte / 10 % 10
                    n += 1
                }
                out[n] = UInt8(ascii: "0") + byte % 10
                n += 1
            }
            return n
        }
    }

    /// host:port as it appears in a Via sent-by or a URI: IPv6 in brackets.
    public var description: String { family == .ipv4 ? "\(ip):\(port)" : "[\(ip)]:\(port)" }

    /// The host part for a Via or URI: IPv6 in brackets.
    public var hostText: String { family == .ipv4 ? ip : "[\(ip)]" }

    /// Calls `body` with this address as a `sockaddr`.
    public func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws -> R) rethrows -> R {
        if family == .ipv4 {
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin.sin_addr) { out in withUnsafeBytes(of: word0) { out.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0.prefix(4))) } }
            return try withUnsafePointer(to: &sin) {
                try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        var sin6 = sockaddr_in6()
        sin6.sin6_family = sa_family_t(AF_INET6)
        sin6.sin6_port = port.bigEndian
        withUnsafeMutableBytes(of: &sin6.sin6_addr) { out in withUnsafeBytes(of: (word0, word1)) { out.copyMemory(from: $0) } }
        return try withUnsafePointer(to: &sin6) {
            try $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { try body($0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
    }

    /// Reads an address from a `sockaddr_storage` filled by recvfrom/accept/getsockname.
    public init?(storage: UnsafePointer<sockaddr_storage>) {
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            let sin = UnsafeRawPointer(storage).load(as: sockaddr_in.self)
            self = withUnsafeBytes(of: sin.sin_addr) { SocketAddress(raw: $0, port: UInt16(bigEndian: sin.sin_port)) }
        case AF_INET6:
            let sin6 = UnsafeRawPointer(storage).load(as: sockaddr_in6.self)
            self = withUnsafeBytes(of: sin6.sin6_addr) { SocketAddress(raw: $0, port: UInt16(bigEndian: sin6.sin6_port)) }
        default:
            return nil
        }
    }
}
