#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed system call of the media relay: which call, and the `errno` it set.
public struct MediaIOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name of the system call that failed (`bind`, `recvmmsg`, …).
    public let syscall: String
    public let errno: Int32

    public init(syscall: String, errno: Int32) {
        self.syscall = syscall
        self.errno = errno
    }

    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(syscall): \(reason) (errno \(errno))" }

    public var wouldBlock: Bool { errno == EAGAIN || errno == EWOULDBLOCK }

    /// Another socket holds the port: the pool skips it.
    public var addressInUse: Bool { errno == EADDRINUSE }
}
