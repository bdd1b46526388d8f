import Dispatch
import SIPCore
import SIPTransport
import Synchronization

/// REGISTERs handed over by the shards to the registrar's own queue, so that
/// the digest check and the binding rules run beside the UDP receivers
/// instead of on them. On two cores that makes three stages of about equal
/// cost, each on its own thread: receiving and parsing (the receiver), checking
/// and registering (this queue), making the change durable (the writer).
///
/// A post appends under a lock and wakes the queue only when no turn is
/// queued; a turn takes every REGISTER waiting, so under load one wake-up
/// serves many. REGISTERs are handled in the order they were posted.
///
/// The inbox holds at most `capacity` REGISTERs: past that the registrar is
/// overloaded (a flood, or more phones than the machine can serve), and a
/// post is refused so the caller answers 503 at once (RFC 3261 21.5.4)
/// instead of letting the queue, its memory and every answer's delay grow.
final class RegistrationInbox: Sendable {
    struct Item: Sendable {
        let request: SIPMessage
        let inbound: InboundMessage
        let reply: ResponseHandle
    }

    private struct State {
        var items: [Item] = []
        /// A turn is queued and will take what is posted before it runs.
        var turnQueued = false
        /// REGISTERs posted since start.
        var posted: UInt64 = 0
    }

    private let queue: DispatchQueue
    private let state = Mutex(State())
    private let handle: @Sendable (Item) -> Void
    private let turns = Mutex<ReceiverTurns?>(nil)
    let capacity: Int

    init(label: String, capacity: Int, handle: @escaping @Sendable (Item) -> Void) {
        queue = DispatchQueue(label: label)
        self.capacity = max(1, capacity)
        self.handle = handle
    }

    /// Answers are handed to the shards inside a turn of `turns`, taken by
    /// this queue's thread once its batch is done (nil: each wakes its shard).
    func setTurns(_ turns: ReceiverTurns?) {
        self.turns.withLock { $0 = turns }
    }

    /// Queues a REGISTER to be handled on the registrar's queue; false, and
    /// nothing queued, when `capacity` REGISTERs are already waiting.
    func post(_ item: Item) -> Bool {
        let outcome = state.withLock { s -> (accepted: Bool, wake: Bool) in
            guard s.items.count < capacity else { return (false, false) }
            s.items.append(item)
            s.posted += 1
            guard !s.turnQueued else { return (true, false) }
            s.turnQueued = true
            return (true, true)
        }
        if outcome.wake { queue.async { [self] in run() } }
        return outcome.accepted
    }

    /// REGISTERs handed over since start.
    var postedCount: UInt64 { state.withLock { $0.posted } }

    /// Returns once every REGISTER posted before the call has been handled
    /// (their store writes may still be pending: see `BatchedWriter.flush`).
    func flush() {
        queue.sync { run() }
    }

    /// Handles what is waiting until nothing is; the turn ends under the
    /// lock with nothing left, so a post after it queues a new turn.
    private func run() {
        while true {
            let items = state.withLock { s -> [Item] in
                guard !s.items.isEmpty else {
                    s.turnQueued = false
                    return []
                }
                defer { s.items = [] }
                return s.items
            }
            guard !items.isEmpty else { return }
            if let turns = turns.withLock({ $0 }) {
                turns.takingTurn { for item in items { handle(item) } }
            } else {
                for item in items { handle(item) }
            }
        }
    }
}
