import Foundation

/// A value shared between queues, read and replaced under a lock.
///
/// For state touched rarely (configuration swaps, lifecycle bookkeeping),
/// never on a per-message path.
final class LockedValue<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) {
        self.value = value
    }

    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value {
        withLock { $0 }
    }
}
