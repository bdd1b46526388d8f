import Synchronization

/// What the UDP receiver threads do between batches for their owner, so
/// that work handed to the shards from other threads (a registrar's 200s
/// after a group commit) can ride on a thread that is already entering the
/// shards, instead of waking another thread and making the receivers wait
/// for it to leave the shard's queue.
///
/// A receiver runs the handler after each batch it has handled (its sends
/// join the batch's), and once more before each receive, which blocks when
/// no datagram is waiting. `receiving` says whether some receiver is
/// between a receive's return and the next, and so will run the handler
/// again soon; when none is, the owner must wake its queues itself.
public final class ReceiverTurns: Sendable {
    /// Receivers that are not blocked waiting for datagrams.
    private let busy = Atomic<Int>(0)
    private let handler = Mutex<Handler?>(nil)

    /// The handler in a class: a closure kept in a `Mutex` directly is
    /// re-wrapped in a reabstraction thunk at every `withLock` that yields it
    /// `inout`, so each call would go through one more thunk than the last.
    private final class Handler: Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }

    public init() {}

    /// Whether some receiver will run the handler again without being woken.
    public var receiving: Bool { busy.load(ordering: .sequentiallyConsistent) > 0 }

    /// Sets what the receivers run between batches; nil runs nothing.
    public func setHandler(_ handler: (@Sendable () -> Void)?) {
        let box = handler.map(Handler.init)
        self.handler.withLock { $0 = box }
    }

    /// Runs `body` on a thread that counts as a receiver while it runs, then
    /// runs the handler on it: work `body` hands to the shards (a registrar's
    /// answers, made on its own queue) is taken by this thread when it is
    /// done, instead of each hand-over waking a thread of its own.
    public func takingTurn(_ body: () -> Void) {
        began()
        body()
        willWait()
    }

    /// A receiver starts, or returns from a receive.
    func began() {
        busy.add(1, ordering: .sequentiallyConsistent)
    }

    /// A receiver has handled a batch.
    func finishedBatch() {
        handler.withLock { $0 }?.run()
    }

    /// A receiver is about to receive, and may block (or it stops). It is
    /// counted out first, then runs the handler, so work handed over
    /// meanwhile is either seen by the handler or wakes its queue.
    func willWait() {
        busy.subtract(1, ordering: .sequentiallyConsistent)
        handler.withLock { $0 }?.run()
    }
}
