import Dispatch

/// A monotonic clock in milliseconds, read by a shard's transaction layer
/// to schedule and fire its timers.
public protocol TransactionClock {
    /// Milliseconds since an arbitrary fixed origin; never goes backwards.
    var now: Int64 { get }
}

/// The system's monotonic clock (`DispatchTime`, unaffected by wall-clock changes).
public struct MonotonicClock: TransactionClock, Sendable {
    public init() {}
    public var now: Int64 { Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000) }
}
