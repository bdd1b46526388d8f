#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A peer's UDP address held inline, with no heap storage: what the relay
/// compares every packet's source with and writes as every packet's
/// destination. ``SocketAddress`` (an array of address bytes) is what the
/// rest of Switchboard sees; conversions happen at set-up and in statistics.
struct RelayEndpoint: Hashable, Sendable, CustomStringConvertible {
    /// The address bytes in network order, as two machine words: IPv6 all 16; IPv4 its 4 in `low`.
    private let high: UInt64
    private let low: UInt64
    let port: UInt16
    let isIPv6: Bool

    init(_ address: SocketAddress) {
        port = address.port
        isIPv6 = address.isIPv6
        (high, low) = address.addressBytes.withUnsafeBytes { raw in
            address.isIPv6
                ? (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
                : (0, UInt64(raw.loadUnaligned(as: UInt32.self)))
        }
    }

    /// The address the kernel wrote for a received datagram; nil for families other than IPv4 and IPv6.
    @inline(__always)
    init?(storage: UnsafePointer<sockaddr_storage>) {
        let raw = UnsafeRawPointer(storage)
        switch Int32(storage.pointee.ss_family) {
        case AF_INET:
            let offset = MemoryLayout<sockaddr_in>.offset(of: \.sin_addr)!
            high = 0
            low = UInt64(raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_port)!, as: UInt16.self))
            isIPv6 = false
        case AF_INET6:
            let offset = MemoryLayout<sockaddr_in6>.offset(of: \.sin6_addr)!
            high = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            low = raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self)
            port = UInt16(bigEndian: raw.loadUnaligned(fromByteOffset: MemoryLayout<sockaddr_in6>.offset(of: \.sin6_port)!, as: UInt16.self))
            isIPv6 = true
        default:
            return nil
        }
    }

    /// An IPv4 address's 4 network-order bytes read into a machine word (as `s_addr` holds them); nil for IPv6.
    var ipv4: UInt32? { isIPv6 ? nil : UInt32(truncatingIfNeeded: low) }

    /// `0.0.0.0` or `::`: SDP's hold address (RFC 3264 8.4), never sent to.
    var isUnspecified: Bool { high == 0 && low == 0 }

    /// Writes this address as a `sockaddr_in` or `sockaddr_in6` at `name`; returns its length.
    @inline(__always)
    func write(to name: UnsafeMutableRawPointer) -> socklen_t {
        if isIPv6 {
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { bytes in
                bytes.storeBytes(of: high, toByteOffset: 0, as: UInt64.self)
                bytes.storeBytes(of: low, toByteOffset: 8, as: UInt64.self)
            }
            name.storeBytes(of: sin6, as: sockaddr_in6.self)
            return socklen_t(MemoryLayout<sockaddr_in6>.size)
        }
        var sin = sockaddr_in()
        sin.sin_family = sa_family_t(AF_INET)
        sin.sin_port = port.bigEndian
        sin.sin_addr.s_addr = UInt32(truncatingIfNeeded: low)
        name.storeBytes(of: sin, as: sockaddr_in.self)
        return socklen_t(MemoryLayout<sockaddr_in>.size)
    }

    /// The same address as the rest of Switchboard spells it.
    var socketAddress: SocketAddress {
        var bytes: [UInt8] = []
        if isIPv6 {
            withUnsafeBytes(of: high) { bytes.append(contentsOf: $0) }
            withUnsafeBytes(of: low) { bytes.append(contentsOf: $0) }
        } else {
            withUnsafeBytes(of: UInt32(truncatingIfNeeded: low)) { bytes.append(contentsOf: $0) }
        }
        return SocketAddress(addressBytes: bytes, port: port)
    }

    var description: String { socketAddress.description }
}
