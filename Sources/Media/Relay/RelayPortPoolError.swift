/// Why the port pool could not give out a port pair.
public enum RelayPortPoolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Every even port of the range is in use, in quarantine, or held by another program.
    case exhausted(skippedInUse: Int)
    /// Binding failed for another reason than the port being taken (no such local address, …).
    case bindFailed(MediaIOError)

    /// A call that cannot get relay ports is answered `503 Service Unavailable`.
    public var sipStatus: Int { 503 }

    public var description: String {
        switch self {
        case .exhausted(let skipped): "relay port range exhausted (\(skipped) ports held elsewhere)"
        case .bindFailed(let error): "relay port bind failed: \(error)"
        }
    }
}
