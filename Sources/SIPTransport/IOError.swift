#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A failed system call: which call, and the `errno` it set.
///
/// The description reads like a log field: `sendto: Message too long (errno 90)`.
public struct IOError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The name of the system call that failed (`bind`, `recvmmsg`, …).
    public let syscall: String
    public let errno: Int32

    public init(syscall: String, errno: Int32) {
        self.syscall = syscall
        self.errno = errno
    }

    /// The C library's text for `errno`.
    public var reason: String { String(cString: strerror(errno)) }

    public var description: String { "\(syscall): \(reason) (errno \(errno))" }

    /// The call would block on a non-blocking socket.
    public var wouldBlock: Bool { errno == EAGAIN || errno == EWOULDBLOCK }
}
