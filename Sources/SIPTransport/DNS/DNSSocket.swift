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
            close(fd)
            throw .io(call: "connect", errno: e)
        }
        self.fd = fd
    }

    deinit { close(fd) }

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
