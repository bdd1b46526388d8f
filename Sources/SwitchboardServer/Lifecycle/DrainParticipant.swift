import Dispatch

/// Something that has work to finish before the process exits: listeners
/// that stop accepting, calls that must end, stores that must flush.
///
/// On SIGTERM the server asks every participant to drain at once and exits
/// when all have called `done` or the drain timeout has passed.
public protocol DrainParticipant: Sendable {
    /// Used in the drain log lines.
    var name: String { get }

    /// Stops taking new work and finishes what is in progress by `deadline`,
    /// then calls `done` once, from any thread.
    func drain(until deadline: DispatchTime, done: @escaping @Sendable () -> Void)
}
