/// Why kernel forwarding is not available: the relay then forwards everything in user space.
public enum KernelForwardingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A bpf(2) command failed (no CAP_BPF / CAP_NET_ADMIN: EPERM; a kernel without the command or
    /// TCX, before 6.6: EINVAL).
    case system(MediaIOError)
    /// The verifier rejected the program; `log` is the end of its log.
    case verifierRejected(MediaIOError, log: String)
    /// No interface took the program.
    case noInterface(attempted: [String], lastError: MediaIOError?)

    public var description: String {
        switch self {
        case .system(let error):
            "\(error)"
        case .verifierRejected(let error, let log):
            "the kernel's verifier rejected the RTP forwarding program (\(error)): \(log)"
        case .noInterface(let attempted, let lastError):
            "no interface accepted the RTP forwarding program (tried \(attempted.joined(separator: ", ")))"
                + (lastError.map { ": \($0)" } ?? "")
        }
    }
}
