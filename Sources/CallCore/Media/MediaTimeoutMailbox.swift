import Synchronization

/// Media timeouts reported on a relay queue, picked up on the shard's queue
/// at its next tick: the B2BUA is never touched from the media queue.
final class MediaTimeoutMailbox: Sendable {
    private let calls = Mutex<[UInt64]>([])

    /// Called on the media queue: the call `id` had no media for the timeout.
    func post(_ id: UInt64) {
        calls.withLock { $0.append(id) }
    }

    /// The calls reported since the last look.
    func take() -> [UInt64] {
        calls.withLock { pending in
            defer { pending.removeAll() }
            return pending
        }
    }
}
