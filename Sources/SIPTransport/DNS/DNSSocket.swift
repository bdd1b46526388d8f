#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A connected UDP socket to one nameserver: the only place the DNS client
/// makes syscalls. Connecting makes the kernel drop datagrams from any other
/// source. Every wait is a poll() with a deadline.
struct DNSSocket: ~Copyable {
    private let fd: Int32

    init(connectedTo server: SocketAddress) throws(DNSError) {
        let family = server.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io(call: "socket", errno: errno) }
        let result = server.withSockAddr { Glibc.connect(fd, $0, $1) }
        guard result == 0 else {
            let e = errno
            Syscall.close(fd)
            throw .io(call: "connect", errno: e)
        }
        self.fd = fd
    }

    deinit { Syscall.close(fd) }

    func send(_ bytes: [UInt8]) throws(DNSError) {
        while true {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
            if sent >= 0 { return }
            if errno == EINTR { continue }
            throw .io(call: "send", errno: errno)
        }
    }

    /// The next datagram, or nil when none arrives within `milliseconds`.
    /// An ICMP port unreachable from the server surfaces as ECONNREFUSED.
    func receive(waitingAtMost milliseconds: Int32) throws(DNSError) -> [UInt8]? {
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        while true {
            let ready = poll(&descriptor, 1, max(0, milliseconds))
            if ready == 0 { return nil }
            if ready < 0 {
                if errno == EINTR { continue }
                throw .io(call: "poll", errno: errno)
            }
            break
        }
        var buffer = [UInt8](repeating: 0, count: 65_535)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count >= 0 { return Array(buffer.prefix(count)) }
            if errno == EINTR { continue }
            if errno == EAGAIN || errno == EWOULDBLOCK { return nil }
            throw .io(call: "recv", errno: errno)
        }
    }
}

extension DNSSocket {
    /// One query over TCP (RFC 1035 4.2.2, RFC 7766): connect, send the
    /// message with its two-byte length, read the answer the same way. Every
    /// step waits with poll() against one deadline of `milliseconds`.
    static func exchangeOverTCP(_ query: [UInt8], with server: SocketAddress, waitingAtMost milliseconds: Int32) throws(DNSError) -> [UInt8] {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(Int(milliseconds)))
        func remaining() -> Int32 {
            let (seconds, attoseconds) = clock.now.duration(to: deadline).components
            return max(0, Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000))
        }
        func wait(_ fd: Int32, for events: Int32) throws(DNSError) {
            var descriptor = pollfd(fd: fd, events: Int16(events), revents: 0)
            while true {
                let ready = poll(&descriptor, 1, remaining())
                if ready > 0 { return }
                if ready == 0 { throw .timeout }
                if errno != EINTR { throw .io(call: "poll", errno: errno) }
            }
        }

        let family = server.family == .ipv4 ? AF_INET : AF_INET6
        let fd = socket(family, Int32(SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .io(call: "socket", errno: errno) }
        defer { Syscall.close(fd) }
        if server.withSockAddr({ Glibc.connect(fd, $0, $1) }) != 0 {
            guard errno == EINPROGRESS else { throw .io(call: "connect", errno: errno) }
            try wait(fd, for: Int32(POLLOUT))
            var pending: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &pending, &length) == 0 else { throw .io(call: "getsockopt", errno: errno) }
            guard pending == 0 else { throw .io(call: "connect", errno: pending) }
        }

        let framed = [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query
        var sent = 0
        while sent < framed.count {
            let n = framed.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
            if n >= 0 { sent += n; continue }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { throw .io(call: "send", errno: errno) }
            try wait(fd, for: Int32(POLLOUT))
        }

        func read(_ count: Int) throws(DNSError) -> [UInt8] {
            var buffer = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + filled, count - filled, 0) }
                if n > 0 { filled += n; continue }
                if n == 0 { throw .truncatedPacket(offset: filled) }
                if errno == EINTR { continue }
                guard errno == EAGAIN || errno == EWOULDBLOCK else { throw .io(call: "recv", errno: errno) }
                try wait(fd, for: Int32(POLLIN))
            }
            return buffer
        }
        let prefix = try read(2)
        return try read(Int(prefix[0]) << 8 | Int(prefix[1]))
    }
}
