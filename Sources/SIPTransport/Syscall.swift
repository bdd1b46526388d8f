#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSwitchboardShims

/// The transport layer's only door to the kernel: thin wrappers that retry
/// `EINTR`, turn `errno` into `IOError`, and report "would block" as nil
/// instead of an error, since non-blocking sockets expect it.
enum Syscall {
    /// Runs `call` until it does not fail with EINTR; a negative result becomes an `IOError`.
    @inline(__always)
    private static func retrying<R: BinaryInteger>(_ name: StaticString, _ call: () -> R) throws(IOError) -> R {
        while true {
            let r = call()
            if r >= 0 { return r }
            let e = errno
            if e == EINTR { continue }
            throw IOError(syscall: "\(name)", errno: e)
        }
    }

    /// Like `retrying`, but EAGAIN/EWOULDBLOCK gives nil.
    @inline(__always)
    private static func nonBlocking<R: BinaryInteger>(_ name: StaticString, _ call: () -> R) throws(IOError) -> R? {
        do {
            return try retrying(name, call)
        } catch {
            if error.wouldBlock { return nil }
            throw error
        }
    }

    // MARK: sockets

    enum SocketKind { case datagram, stream }

    /// A non-blocking, close-on-exec socket.
    static func socket(family: SocketAddress.Family, kind: SocketKind) throws(IOError) -> Int32 {
        let domain = family == .ipv4 ? AF_INET : AF_INET6
        let type = kind == .datagram ? SOCK_DGRAM : SOCK_STREAM
        let flags = Int32(type.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        return try retrying("socket") { Glibc.socket(domain, flags, 0) }
    }

    static func setOption(_ fd: Int32, level: Int32, name: Int32, value: Int32) throws(IOError) {
        var v = value
        _ = try retrying("setsockopt") { Glibc.setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) }
    }

    /// The pending error of a socket (SO_ERROR), read once a non-blocking connect finishes.
    static func pendingError(_ fd: Int32) throws(IOError) -> Int32 {
        var v: Int32 = 0
        var len = socklen_t(MemoryLayout<Int32>.size)
        _ = try retrying("getsockopt") { Glibc.getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) }
        return v
    }

    static func bind(_ fd: Int32, to address: SocketAddress) throws(IOError) {
        _ = try retrying("bind") { address.withSockAddr { Glibc.bind(fd, $0, $1) } }
    }

    static func listen(_ fd: Int32, backlog: Int32) throws(IOError) {
        _ = try retrying("listen") { Glibc.listen(fd, backlog) }
    }

    /// Accepts one connection, non-blocking and close-on-exec; nil when none is waiting.
    static func accept(_ fd: Int32) throws(IOError) -> (fd: Int32, peer: SocketAddress)? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let flags = Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let accepted = try withUnsafeMutablePointer(to: &storage) { (p) throws(IOError) -> Int32? in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sa) throws(IOError) -> Int32? in
                try nonBlocking("accept4") { sb_accept4(fd, sa, &len, flags) }
            }
        }
        guard let accepted else { return nil }
        guard let peer = SocketAddress(storage: &storage) else {
            close(accepted)
            throw IOError(syscall: "accept4", errno: EAFNOSUPPORT)
        }
        return (accepted, peer)
    }

    /// Starts a non-blocking connect: true when already connected, false when in progress.
    static func connect(_ fd: Int32, to address: SocketAddress) throws(IOError) -> Bool {
        while true {
            let r = address.withSockAddr { Glibc.connect(fd, $0, $1) }
            if r == 0 { return true }
            let e = errno
            if e == EINTR { continue }
            if e == EINPROGRESS { return false }
            throw IOError(syscall: "connect", errno: e)
        }
    }

    static func localAddress(_ fd: Int32) throws(IOError) -> SocketAddress {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = try withUnsafeMutablePointer(to: &storage) { (p) throws(IOError) -> Int32 in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sa) throws(IOError) -> Int32 in
                try retrying("getsockname") { Glibc.getsockname(fd, sa, &len) }
            }
        }
        guard let address = SocketAddress(storage: &storage) else { throw IOError(syscall: "getsockname", errno: EAFNOSUPPORT) }
        return address
    }

    /// The source address the system picks for packets to `destination`
    /// (a UDP socket connected, asked, and closed; nothing is sent).
    static func routeSource(toward destination: SocketAddress) throws(IOError) -> SocketAddress {
        let fd = try socket(family: destination.family, kind: .datagram)
        defer { close(fd) }
        _ = try connect(fd, to: destination)
        return try localAddress(fd)
    }

    // MARK: datagrams

    /// Receives one datagram into `buffer`; nil when none is waiting.
    static func recvfrom(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> (count: Int, source: SocketAddress)? {
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let n = try withUnsafeMutablePointer(to: &storage) { (p) throws(IOError) -> Int? in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sa) throws(IOError) -> Int? in
                try nonBlocking("recvfrom") { Glibc.recvfrom(fd, buffer.baseAddress, buffer.count, 0, sa, &len) }
            }
        }
        guard let n, let source = SocketAddress(storage: &storage) else { return nil }
        return (n, source)
    }

    /// Sends one datagram without blocking (the socket may be a blocking one
    /// that receivers wait on); nil when the socket buffer is full.
    static func sendto(_ fd: Int32, _ bytes: [UInt8], to address: SocketAddress) throws(IOError) -> Int? {
        let result = bytes.withUnsafeBytes { b in
            Result { () throws(IOError) -> Int? in
                try nonBlocking("sendto") {
                    address.withSockAddr { Glibc.sendto(fd, b.baseAddress, b.count, Int32(MSG_DONTWAIT), $0, $1) }
                }
            }
        }
        return try result.get()
    }

    /// Receives up to `count` datagrams; nil when none is waiting. With `wait`,
    /// blocks until one arrives (or the socket's receive timeout passes), then
    /// takes what else is waiting without blocking again (MSG_WAITFORONE).
    static func recvmmsg(_ fd: Int32, _ headers: UnsafeMutablePointer<sb_mmsghdr>, count: Int, wait: Bool = false) throws(IOError) -> Int? {
        let flags = wait ? Int32(MSG_WAITFORONE) : Int32(MSG_DONTWAIT)
        return try nonBlocking("recvmmsg") { sb_recvmmsg(fd, headers, UInt32(count), flags) }.map(Int.init)
    }

    /// Sends up to `count` datagrams; the number sent, nil when none could be.
    static func sendmmsg(_ fd: Int32, _ headers: UnsafeMutablePointer<sb_mmsghdr>, count: Int) throws(IOError) -> Int? {
        try nonBlocking("sendmmsg") { sb_sendmmsg(fd, headers, UInt32(count), Int32(MSG_DONTWAIT)) }.map(Int.init)
    }

    // MARK: streams

    /// Reads what is available: 0 at end of stream, nil when nothing is waiting.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int? {
        try nonBlocking("read") { Glibc.read(fd, buffer.baseAddress, buffer.count) }
    }

    /// Writes what the socket takes; nil when it takes nothing now.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(IOError) -> Int? {
        try nonBlocking("write") { Glibc.write(fd, bytes.baseAddress, bytes.count) }
    }

    /// Ends our direction of a stream (FIN), so that the peer reads our last bytes before the close.
    /// Stops receiving on a socket and wakes the threads blocked reading it
    /// (datagram sockets included); errors are of no interest to a closing socket.
    static func shutdownReceiving(_ fd: Int32) {
        _ = Glibc.shutdown(fd, Int32(SHUT_RD))
    }

    /// Makes a descriptor blocking (for receivers that wait in `recvmmsg`) and
    /// sets how long a receive waits before giving up.
    static func setBlocking(_ fd: Int32, receiveTimeout seconds: Int) throws(IOError) {
        let flags = try retrying("fcntl") { fcntl(fd, F_GETFL) }
        _ = try retrying("fcntl") { fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        _ = try retrying("setsockopt") {
            Glibc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }
    }

    static func shutdownWrite(_ fd: Int32) throws(IOError) {
        _ = try retrying("shutdown") { Glibc.shutdown(fd, Int32(SHUT_WR)) }
    }

    // MARK: names

    /// The IPv4 and IPv6 addresses of a host name (getaddrinfo, A and AAAA),
    /// in the order the system prefers; blocks for DNS. Errors carry
    /// getaddrinfo's text.
    static func addresses(of name: String) -> Result<[SocketAddress], ResolutionError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        var status: Int32
        repeat {
            status = getaddrinfo(name, nil, &hints, &list)
        } while status == EAI_SYSTEM && errno == EINTR
        guard status == 0 else { return .failure(ResolutionError(reason: "getaddrinfo \(name): \(String(cString: gai_strerror(status)))")) }
        defer { freeaddrinfo(list) }
        var out: [SocketAddress] = []
        var p = list
        while let info = p {
            if let sa = info.pointee.ai_addr {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: sa, count: Int(info.pointee.ai_addrlen))) }
                if let a = SocketAddress(storage: &storage), !out.contains(a) { out.append(a) }
            }
            p = info.pointee.ai_next
        }
        return .success(out)
    }

    // MARK: descriptors

    /// Closes a descriptor. Never retried: after EINTR the descriptor is already gone on Linux.
    /// EBADF means the descriptor was closed already: a second close of a number
    /// that another socket may hold by now. Debug builds stop there.
    static func close(_ fd: Int32) {
        let r = Glibc.close(fd)
        assert(r == 0 || errno != EBADF, "close(\(fd)): descriptor not open (closed twice)")
    }

    /// Sets O_NONBLOCK on a descriptor created elsewhere.
    static func setNonBlocking(_ fd: Int32) throws(IOError) {
        let flags = try retrying("fcntl") { fcntl(fd, F_GETFL) }
        _ = try retrying("fcntl") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
    }
}
