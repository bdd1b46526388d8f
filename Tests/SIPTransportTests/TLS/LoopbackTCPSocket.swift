#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A plain blocking TCP socket on 127.0.0.1 for tests that put a real TLS
/// peer (the `openssl` command line) on the other end. Every wait is bounded
/// by `poll` with a timeout.
final class LoopbackTCPSocket {
    let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    deinit { Glibc.close(fd) }

    /// A listener on 127.0.0.1 with a kernel-chosen port, so parallel runs don't collide.
    static func listen() throws -> (LoopbackTCPSocket, port: UInt16) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket: errno \(errno)") }
        let listener = LoopbackTCPSocket(fd: fd)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, Glibc.listen(fd, 4) == 0 else { throw TestSetupError("bind/listen: errno \(errno)") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw TestSetupError("getsockname: errno \(errno)") }
        return (listener, UInt16(bigEndian: address.sin_port))
    }

    /// Connects to 127.0.0.1:port.
    static func connect(port: UInt16) throws -> LoopbackTCPSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestSetupError("socket: errno \(errno)") }
        let connection = LoopbackTCPSocket(fd: fd)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        address.sin_port = port.bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw TestSetupError("connect 127.0.0.1:\(port): errno \(errno)") }
        return connection
    }

    func accept(timeoutMilliseconds: Int32 = 10_000) throws -> LoopbackTCPSocket {
        guard wait(for: POLLIN, timeoutMilliseconds: timeoutMilliseconds) else { throw TestSetupError("accept: timed out") }
        let connection = Glibc.accept(fd, nil, nil)
        guard connection >= 0 else { throw TestSetupError("accept: errno \(errno)") }
        return LoopbackTCPSocket(fd: connection)
    }

    /// Reads what is available; an empty result means the peer closed.
    func read(timeoutMilliseconds: Int32 = 10_000) throws -> [UInt8] {
        guard wait(for: POLLIN, timeoutMilliseconds: timeoutMilliseconds) else { throw TestSetupError("read: timed out") }
        var buffer = [UInt8](repeating: 0, count: 16_384)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else {
            if errno == ECONNRESET { return [] }
            throw TestSetupError("recv: errno \(errno)")
        }
        return Array(buffer[0..<count])
    }

    func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw TestSetupError("send: errno \(errno)") }
            offset += count
        }
    }

    func shutdownWrite() {
        _ = shutdown(fd, Int32(SHUT_WR))
    }

    private func wait(for events: Int32, timeoutMilliseconds: Int32) -> Bool {
        var pfd = pollfd(fd: fd, events: Int16(events), revents: 0)
        while true {
            let result = poll(&pfd, 1, timeoutMilliseconds)
            if result < 0, errno == EINTR { continue }
            return result > 0
        }
    }
}
