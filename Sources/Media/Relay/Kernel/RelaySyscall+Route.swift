#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSwitchboardShims

/// The kernel's route from one of the relay's addresses to a peer (rtnetlink RTM_GETROUTE, as
/// `ip route get TO from FROM` asks it): which interface the peer is reached through, and whether
/// it is an address of this host. Kernel forwarding rules carry both.
extension RelaySyscall {
    struct Route: Hashable {
        /// The output interface's index.
        var interface: UInt32
        /// RTN_LOCAL: the destination is this host.
        var isLocal: Bool
    }

    private static let getRoute: UInt16 = 26  // RTM_GETROUTE
    private static let newRoute: UInt16 = 24  // RTM_NEWROUTE
    private static let requestFlag: UInt16 = 1  // NLM_F_REQUEST
    private static let attributeDestination: UInt16 = 1  // RTA_DST
    private static let attributeSource: UInt16 = 2  // RTA_SRC
    private static let attributeOutputInterface: UInt16 = 4  // RTA_OIF
    private static let routeTypeLocal: UInt8 = 2  // RTN_LOCAL

    /// The route from `source` to `destination` (IPv4); nil when the kernel has none or cannot be asked.
    static func route(to destination: RelayEndpoint, from source: RelayEndpoint) -> Route? {
        guard let to = destination.ipv4, let from = source.ipv4 else { return nil }
        let fd = Glibc.socket(AF_NETLINK, Int32(SOCK_RAW.rawValue | SOCK_CLOEXEC.rawValue), 0)  // NETLINK_ROUTE
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))

        // nlmsghdr (16) + rtmsg (12) + RTA_DST (8) + RTA_SRC (8).
        var request = [UInt8](repeating: 0, count: 44)
        request.withUnsafeMutableBytes { raw in
            raw.storeBytes(of: UInt32(44), toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: getRoute, toByteOffset: 4, as: UInt16.self)
            raw.storeBytes(of: requestFlag, toByteOffset: 6, as: UInt16.self)
            raw.storeBytes(of: UInt32(1), toByteOffset: 8, as: UInt32.self)
            raw[16] = UInt8(AF_INET)
            raw[17] = 32  // rtm_dst_len
            raw[18] = 32  // rtm_src_len
            raw.storeBytes(of: UInt16(8), toByteOffset: 28, as: UInt16.self)
            raw.storeBytes(of: attributeDestination, toByteOffset: 30, as: UInt16.self)
            raw.storeBytes(of: to, toByteOffset: 32, as: UInt32.self)
            raw.storeBytes(of: UInt16(8), toByteOffset: 36, as: UInt16.self)
            raw.storeBytes(of: attributeSource, toByteOffset: 38, as: UInt16.self)
            raw.storeBytes(of: from, toByteOffset: 40, as: UInt32.self)
        }
        // An unconnected netlink socket sends to the kernel.
        let sent = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == request.count else { return nil }
        var reply = [UInt8](repeating: 0, count: 4096)
        let n = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard n >= 28 else { return nil }
        return reply.withUnsafeBytes { raw -> Route? in
            let length = min(Int(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self)), n)
            guard raw.loadUnaligned(fromByteOffset: 4, as: UInt16.self) == newRoute, length >= 28 else { return nil }
            let isLocal = raw[16 + 7] == routeTypeLocal
            var offset = 28
            while offset + 4 <= length {
                let attributeLength = Int(raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
                let type = raw.loadUnaligned(fromByteOffset: offset + 2, as: UInt16.self)
                guard attributeLength >= 4 else { return nil }
                if type == attributeOutputInterface, attributeLength >= 8 {
                    return Route(interface: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self), isLocal: isLocal)
                }
                offset += (attributeLength + 3) & ~3
            }
            return nil
        }
    }
}
