/// A clock that moves only when told to: tests advance it by hand and then
/// let the transaction layer fire what became due, so timer behaviour is
/// checked exactly and instantly.
///
/// Not thread-safe: it is read and advanced on one queue, like its layer.
public final class VirtualClock: TransactionClock {
    public private(set) var now: Int64

    public init(now: Int64 = 0) { self.now = now }

    /// Moves the clock forward by `milliseconds` (never backwards).
    public func advance(by milliseconds: Int64) {
        precondition(milliseconds >= 0, "a monotonic clock does not go backwards")
        now += milliseconds
    }

    /// Moves the clock to `time`, which must not be earlier than `now`.
    public func advance(to time: Int64) {
        precondition(time >= now, "a monotonic clock does not go backwards")
        now = time
    }
}
