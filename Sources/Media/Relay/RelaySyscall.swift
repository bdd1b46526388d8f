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
    static func retrying<R: BinaryInteger>(_ name: StaticString, _ call: () -> R) throws(MediaIOError) -> R {
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

    /// A close-on-exec epoll instance.
    static func epollCreate() throws(MediaIOError) -> Int32 {
        try retrying("epoll_create1") { sb_epoll_create() }
    }

    /// Watches `fd` for input (level-triggered); its events carry `token`.
    static func epollAdd(_ epollFD: Int32, _ fd: Int32, token: UInt64) throws(MediaIOError) {
        _ = try retrying("epoll_ctl") { sb_epoll_add(epollFD, fd, token) }
    }

    static func epollRemove(_ epollFD: Int32, _ fd: Int32) throws(MediaIOError) {
        _ = try retrying("epoll_ctl") { sb_epoll_remove(epollFD, fd) }
    }

    /// Ready tokens, at most `max`, waiting up to `timeoutMilliseconds` (0: poll); 0 when none
    /// (a signal interrupting the wait counts as none).
    static func epollWait(
        _ epollFD: Int32, _ tokens: UnsafeMutablePointer<UInt64>, max: Int, timeoutMilliseconds: Int32
    ) throws(MediaIOError) -> Int {
        let n = sb_epoll_wait(epollFD, tokens, Int32(max), timeoutMilliseconds)
        if n >= 0 { return Int(n) }
        let e = errno
        if e == EINTR { return 0 }
        throw MediaIOError(syscall: "epoll_wait", errno: e)
    }

    /// A non-blocking, close-on-exec eventfd (a doorbell).
    static func eventCreate() throws(MediaIOError) -> Int32 {
        try retrying("eventfd") { sb_eventfd_create() }
    }

    /// Rings an eventfd; a full counter (never reached by a doorbell) is ignored.
    static func eventSignal(_ fd: Int32) {
        var one: UInt64 = 1
        _ = try? nonBlocking("write") { Glibc.write(fd, &one, 8) }
    }

    /// Resets an eventfd to zero.
    static func eventDrain(_ fd: Int32) {
        var value: UInt64 = 0
        _ = try? nonBlocking("read") { Glibc.read(fd, &value, 8) }
    }

    /// Closes a descriptor. Never retried: after EINTR the descriptor is already gone on Linux.
    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}
