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
/// While a UDP receiver is busy a post wakes nothing: the receiver decides
/// between its batches (`drain()`). Up to `receiverLimit` REGISTERs, with the
/// queue idle, are handled there on the receiver's thread, inside the queue
/// (`sync`), so a light load costs no thread woken per REGISTER. More than
/// that means the receiver is falling behind, and the queue takes them.
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
        /// A turn is queued or running and will take what is posted before it ends.
        var turnQueued = false
        /// REGISTERs posted since start.
        var posted: UInt64 = 0
        /// REGISTERs handled on a receiver's thread since start.
        var handledByReceivers: UInt64 = 0
        /// The receivers, whose handler drains this inbox between batches.
        var turns: ReceiverTurns?
    }

    private let queue: DispatchQueue
    private let state = Mutex(State())
    private let handle: @Sendable (Item) -> Void
    let capacity: Int

    /// REGISTERs a receiver handles on its own thread in one `drain()`, the
    /// queue being idle; more go to the queue. Two, not one: a loader or a
    /// PBX that sends in bursts hands over pairs even at a light load. With
    /// four the receiver kept too much at 32 000 REGISTERs/s.
    static let receiverLimit = 2

    init(label: String, capacity: Int, handle: @escaping @Sendable (Item) -> Void) {
        queue = DispatchQueue(label: label)
        self.capacity = max(1, capacity)
        self.handle = handle
    }

    /// Answers are handed to the shards inside a turn of `turns`, taken by
    /// this queue's thread once its batch is done (nil: each wakes its shard).
    func setTurns(_ turns: ReceiverTurns?) {
        state.withLock { $0.turns = turns }
    }

    /// Queues a REGISTER to be handled on the registrar's queue; false, and
    /// nothing queued, when `capacity` REGISTERs are already waiting.
    func post(_ item: Item) -> Bool {
        let outcome = state.withLock { s -> (accepted: Bool, wake: Bool) in
            guard s.items.count < capacity else { return (false, false) }
            s.items.append(item)
            s.posted += 1
            // Read after the append, under the lock: a receiver that stops
            // being busy after this read drains after it, and sees the REGISTER.
            guard !s.turnQueued, !(s.turns?.receiving ?? false) else { return (true, false) }
            s.turnQueued = true
            return (true, true)
        }
        if outcome.wake { queue.async { [self] in run() } }
        return outcome.accepted
    }

    /// REGISTERs handed over since start.
    var postedCount: UInt64 { state.withLock { $0.posted } }

    /// REGISTERs handled on a receiver's thread since start.
    var handledByReceiversCount: UInt64 { state.withLock { $0.handledByReceivers } }

    /// Returns once every REGISTER posted before the call has been handled
    /// (their store writes may still be pending: see `BatchedWriter.flush`).
    func flush() {
        queue.sync { run() }
    }

    /// From a receiver between its batches (the receivers' handler): what
    /// waits with no turn queued is handled here, on this thread, when it is
    /// at most `receiverLimit` REGISTERs, else handed to a turn of the queue.
    func drain() {
        enum Where { case nowhere, here, queue }
        let place = state.withLock { s -> Where in
            guard !s.items.isEmpty, !s.turnQueued else { return .nowhere }
            s.turnQueued = true
            return s.items.count <= Self.receiverLimit ? .here : .queue
        }
        switch place {
        case .nowhere:
            return
        case .queue:
            queue.async { [self] in run() }
        case .here:
            // Inside the queue, so in order with its turns; what was posted
            // meanwhile goes to a turn of the queue, not to this receiver.
            let more = queue.sync { () -> Bool in
                let items = state.withLock { s -> [Item] in
                    defer { s.items = [] }
                    s.handledByReceivers += UInt64(s.items.count)
                    return s.items
                }
                for item in items { handle(item) }
                return state.withLock { s in
                    if s.items.isEmpty { s.turnQueued = false }
                    return !s.items.isEmpty
                }
            }
            if more { queue.async { [self] in run() } }
        }
    }

    /// Handles what is waiting until nothing is; the turn ends under the
    /// lock with nothing left, so a post after it queues a new turn. The
    /// turn counts as queued while it runs (also when `flush` runs it), so
    /// a receiver's `drain()` leaves the REGISTERs posted meanwhile to it.
    private func run() {
        state.withLock { $0.turnQueued = true }
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
            if let turns = state.withLock({ $0.turns }) {
                turns.takingTurn { for item in items { handle(item) } }
            } else {
                for item in items { handle(item) }
            }
        }
    }
}
