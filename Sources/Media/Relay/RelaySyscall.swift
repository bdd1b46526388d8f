#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSwitchboardShims

/// The media relay's door to the kernel: thin wrappers that retry `EINTR`,
/// turn `errno` into `MediaIOError`, and report "would block" as nil.
enum RelaySyscall {
    @inline(__always)
    private static func retrying<R: BinaryInteger>(_ name: StaticString, _ call: () -> R) throws(MediaIOError) -> R {
        while true {
            let r = call()
            if r >= 0 { return r }
            let e = errno
            if e == EINTR { continue }
            throw MediaIOError(syscall: "\(name)", errno: e)
        }
    }

    @inline(__always)
    private static func nonBlocking<R: BinaryInteger>(_ name: StaticString, _ call: () -> R) throws(MediaIOError) -> R? {
        do {
            return try retrying(name, call)
        } catch {
            if error.wouldBlock { return nil }
            throw error
        }
    }

    /// A non-blocking, close-on-exec UDP socket bound to `address`; IPv6 sockets are IPv6 only.
    static func boundDatagramSocket(_ address: SocketAddress, bufferSize: Int32) throws(MediaIOError) -> Int32 {
        let domain = address.isIPv6 ? AF_INET6 : AF_INET
        let flags = Int32(SOCK_DGRAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let fd = try retrying("socket") { Glibc.socket(domain, flags, 0) }
        do throws(MediaIOError) {
            if address.isIPv6 { try setOption(fd, level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, value: 1) }
            if bufferSize > 0 {
                // The kernel caps these at rmem_max/wmem_max; a smaller buffer is not an error.
                try? setOption(fd, level: SOL_SOCKET, name: SO_RCVBUF, value: bufferSize)
                try? setOption(fd, level: SOL_SOCKET, name: SO_SNDBUF, value: bufferSize)
            }
            _ = try retrying("bind") { address.withSockAddr { Glibc.bind(fd, $0, $1) } }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(MediaIOError) {
        var v = value
        _ = try retrying("setsockopt") { Glibc.setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) }
    }

    /// Receives up to `count` datagrams; nil when none is waiting.
    static func recvmmsg(_ fd: Int32, _ headers: UnsafeMutablePointer<sb_mmsghdr>, count: Int) throws(MediaIOError) -> Int? {
        try nonBlocking("recvmmsg") { sb_recvmmsg(fd, headers, UInt32(count), Int32(MSG_DONTWAIT)) }.map(Int.init)
    }

    /// Sends up to `count` datagrams; the number sent, nil when the socket buffer is full.
    static func sendmmsg(_ fd: Int32, _ headers: UnsafeMutablePointer<sb_mmsghdr>, count: Int) throws(MediaIOError) -> Int? {
        try nonBlocking("sendmmsg") { sb_sendmmsg(fd, headers, UInt32(count), Int32(MSG_DONTWAIT)) }.map(Int.init)
    }

    /// Closes a descriptor. Never retried: after EINTR the descriptor is already gone on Linux.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}
