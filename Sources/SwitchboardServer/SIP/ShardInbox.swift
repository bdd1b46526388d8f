import Dispatch
import SIPTransport
import Synchronization

/// Work handed to a shard from other threads (a registrar's 200s after a
/// group commit), run on the shard's queue in posting order, in as few
/// turns as possible; the datagrams a turn sends leave together.
///
/// While a UDP receiver is busy, posts wake nothing: the receivers take the
/// waiting work between their batches (`drain()`, from `ReceiverTurns`),
/// entering the shard from a thread that enters it anyway. Only when every
/// receiver waits does a post queue a turn of its own. Otherwise each
/// commit's 200s ran on another thread while the shard's receiver waited
/// for the queue: a hand-over between three threads, each needing a core.
final class ShardInbox: Sendable {
    private struct State {
        var items: [@Sendable () -> Void] = []
        /// A turn is queued on the shard's queue and will take the items.
        var turnQueued = false
    }

    private let queue: DispatchQueue
    private let receivers: ReceiverTurns
    private let state = Mutex(State())
    private let sends = SendBatchScope()

    init(queue: DispatchQueue, receivers: ReceiverTurns) {
        self.queue = queue
        self.receivers = receivers
    }

    /// Queues `work` to run on the shard's queue.
    func post(_ work: @escaping @Sendable () -> Void) {
        let wake = state.withLock { s -> Bool in
            s.items.append(work)
            // Read after the append, under the lock: a receiver that stops
            // being busy after this read drains after it, and sees the work.
            guard !s.turnQueued, !receivers.receiving else { return false }
            s.turnQueued = true
            return true
        }
        if wake {
            queue.async { [self] in
                state.withLock { $0.turnQueued = false }
                run()
            }
        }
    }

    /// Runs the waiting work on the shard's queue, from a thread not on it.
    func drain() {
        guard state.withLock({ !$0.items.isEmpty }) else { return }
        queue.sync { run() }
    }

    private func run() {
        let items = state.withLock { s -> [@Sendable () -> Void] in
            defer { s.items.removeAll(keepingCapacity: true) }
            return s.items
        }
        guard !items.isEmpty else { return }
        sends.run {
            for work in items { work() }
        }
    }
}
