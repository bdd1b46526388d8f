#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import SIPTransport

/// The control socket's door to the kernel, in the transport layer's style:
/// thin wrappers that retry `EINTR`, turn `errno` into `IOError`, and report
/// "would block" as nil on non-blocking descriptors.
enum ControlSyscall {
    /// Runs `call` until it does not fail with EINTR; a negative result becomes an `IOError`.
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
    private static func nonBlocking<R: BinaryInteger>(_ name: StaticString, _ call: () -> R) throws(IOError) -> R? {
        do {
            return try retrying(name, call)
        } catch {
            if error.wouldBlock { return nil }
            throw error
        }
    }

    /// A close-on-exec Unix-domain stream socket, non-blocking unless `blocking`.
    static func socket(blocking: Bool = false) throws(IOError) -> Int32 {
        var flags = Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue)
        if !blocking { flags |= Int32(SOCK_NONBLOCK.rawValue) }
        return try retrying("socket") { Glibc.socket(AF_UNIX, flags, 0) }
    }

    /// Calls `body` with `path` as a `sockaddr_un`; ENAMETOOLONG if it does not fit.
    private static func withAddress<R>(
        _ name: StaticString, _ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R
    ) throws(IOError) -> R {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard !bytes.isEmpty, bytes.count < capacity else { throw IOError(syscall: "\(name)", errno: ENAMETOOLONG) }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let length = socklen_t(MemoryLayout<sockaddr_un>.offset(of: \.sun_path)! + bytes.count + 1)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, length) }
        }
    }

    static func bind(_ fd: Int32, path: String) throws(IOError) {
        let result = try withAddress("bind", path) { Glibc.bind(fd, $0, $1) }
        if result != 0 { throw IOError(syscall: "bind", errno: errno) }
    }

    static func listen(_ fd: Int32, backlog: Int32) throws(IOError) {
        _ = try retrying("listen") { Glibc.listen(fd, backlog) }
    }

    /// Connects a blocking socket.
    static func connect(_ fd: Int32, path: String) throws(IOError) {
        while true {
            let result = try withAddress("connect", path) { Glibc.connect(fd, $0, $1) }
            if result == 0 { return }
            let e = errno
            if e == EINTR { continue }
            throw IOError(syscall: "connect", errno: e)
        }
    }

    /// Accepts one connection and makes it non-blocking and close-on-exec; nil when none is waiting.
    static func accept(_ fd: Int32) throws(IOError) -> Int32? {
        guard let accepted = try nonBlocking("accept", { Glibc.accept(fd, nil, nil) }) else { return nil }
        do {
            _ = try retrying("fcntl") { fcntl(accepted, F_SETFD, FD_CLOEXEC) }
            let flags = try retrying("fcntl") { fcntl(accepted, F_GETFL) }
            _ = try retrying("fcntl") { fcntl(accepted, F_SETFL, flags | O_NONBLOCK) }
        } catch {
            close(accepted)
            throw error
        }
        return accepted
    }

    /// Reads into the start of `buffer`; 0 at end of stream, nil when nothing is
    /// waiting (or, on a blocking socket, when its receive timeout passed).
    static func read(_ fd: Int32, into buffer: inout [UInt8]) throws(IOError) -> Int? {
        let result = buffer.withUnsafeMutableBytes { raw in
            Result { () throws(IOError) -> Int? in
                try nonBlocking("read") { Glibc.read(fd, raw.baseAddress, raw.count) }
            }
        }
        return try result.get()
    }

    /// Writes all of `bytes`; false if the socket stopped taking them (full or timed out).
    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(IOError) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { raw in
                Result { () throws(IOError) -> Int? in
                    try nonBlocking("write") { Glibc.send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL)) }
                }
            }
            guard let count = try written.get() else { return false }
            offset += count
        }
        return true
    }

    /// SO_RCVTIMEO and SO_SNDTIMEO, so a blocking client cannot wait forever.
    static func setTimeouts(_ fd: Int32, seconds: Int) throws(IOError) {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        for option in [SO_RCVTIMEO, SO_SNDTIMEO] {
            _ = try retrying("setsockopt") {
                Glibc.setsockopt(fd, SOL_SOCKET, option, &timeout, socklen_t(MemoryLayout<timeval>.size))
            }
        }
    }

    /// What is at `path`: nil when nothing is, else whether it is a socket and its identity.
    static func fileStatus(_ path: String) throws(IOError) -> (isSocket: Bool, device: UInt64, inode: UInt64)? {
        var status = stat()
        if lstat(path, &status) != 0 {
            let e = errno
            if e == ENOENT { return nil }
            throw IOError(syscall: "lstat", errno: e)
        }
        return ((status.st_mode & S_IFMT) == S_IFSOCK, UInt64(status.st_dev), UInt64(status.st_ino))
    }

    /// Mode 0600: only the server's user may connect.
    static func setOwnerOnly(_ path: String) throws(IOError) {
        _ = try retrying("chmod") { Glibc.chmod(path, 0o600) }
    }

    static func unlink(_ path: String) throws(IOError) {
        _ = try retrying("unlink") { Glibc.unlink(path) }
    }

    static func close(_ fd: Int32) {
        _ = Glibc.close(fd)
    }
}
