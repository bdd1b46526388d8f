import Dispatch
import Synchronization

/// Group commit for binding changes: the hot path hands changes over without
/// waiting; a writer queue commits what is pending in one transaction
/// `maxDelay` after the first change of a batch, or as soon as `maxBatch`
/// changes wait. A sync queue then makes what is committed durable
/// (`RegistrarStore.sync`) and calls each submitter's completion, in
/// submission order.
///
/// A registrar sends the 200 to a REGISTER from its completion, so an
/// acknowledged binding is always durable, and store latency is paid once
/// per batch rather than once per registration. The writer commits the next
/// batch while the last is being synced, and one sync covers every batch
/// committed before it started. Submitting takes a lock for an append and
/// wakes the writer queue once per batch, not per change.
///
/// Completions run on the sync queue, one after another, so they should only
/// hop back to the submitter's own queue.
public final class BatchedWriter: Sendable {
    public typealias Completion = @Sendable (Result<Void, RegistrarStoreError>) -> Void

    public struct Settings: Sendable, Equatable {
        /// Longest the first change of a batch waits before the batch commits.
        public var maxDelay: DispatchTimeInterval
        /// A batch with this many changes commits at once; a transaction holds at most this many
        /// submissions' changes beyond its first.
        public var maxBatch: Int

        public init(maxDelay: DispatchTimeInterval = .milliseconds(5), maxBatch: Int = 512) {
            self.maxDelay = maxDelay
            self.maxBatch = max(1, maxBatch)
        }
    }

    private struct Submission {
        var changes: [BindingChange]
        var completion: Completion
    }

    /// A transaction run, waiting for the sync after it.
    private struct Committed {
        var submissions: [Submission]
        var outcome: Result<Void, RegistrarStoreError>
    }

    private struct Pending {
        var submissions: [Submission] = []
        var changeCount = 0
        /// A commit is queued to run as soon as the queue gets to it.
        var commitQueued = false
        /// Bumped at each commit, so a timer armed for an earlier batch does nothing.
        var batch: UInt64 = 0
        var timerArmed = false
        /// Transactions committed (or attempted), for metrics.
        var commits: UInt64 = 0
        /// In commit order; taken whole by each sync.
        var committed: [Committed] = []
        /// The sync queue is syncing, or about to.
        var syncing = false
        var syncs: UInt64 = 0
    }

    private enum Wake {
        case none
        case now
        case after(batch: UInt64)
    }

    private let store: any RegistrarStore
    private let settings: Settings
    private let queue: DispatchQueue
    private let syncQueue: DispatchQueue
    private let pending = Mutex(Pending())
    private let completionScope = Mutex<CompletionScope?>(nil)

    /// What the completions of a sync run inside (`setCompletionScope`).
    private final class CompletionScope: Sendable {
        let run: @Sendable (() -> Void) -> Void
        init(_ run: @escaping @Sendable (() -> Void) -> Void) { self.run = run }
    }

    public init(store: any RegistrarStore, settings: Settings = Settings(), label: String = "switchboard.registrar.writer") {
        self.store = store
        self.settings = settings
        self.queue = DispatchQueue(label: label)
        self.syncQueue = DispatchQueue(label: label + ".sync")
    }

    /// Queues `changes` for the next commit; `completion` runs after it, with
    /// the commit's outcome. Never blocks on I/O. An empty change list
    /// completes after everything submitted before it is durable.
    public func submit(_ changes: [BindingChange], completion: @escaping Completion) {
        let wake = pending.withLock { p -> Wake in
            p.submissions.append(Submission(changes: changes, completion: completion))
            p.changeCount += changes.count
            if p.changeCount >= settings.maxBatch {
                guard !p.commitQueued else { return .none }
                p.commitQueued = true
                return .now
            }
            guard !p.timerArmed, !p.commitQueued else { return .none }
            p.timerArmed = true
            return .after(batch: p.batch)
        }
        schedule(wake)
    }

    /// Sets what the completions of each sync run inside, all of them in one
    /// call on the sync queue (the server's: one turn that takes the answers
    /// they hand to the shards); nil runs them as they are.
    public func setCompletionScope(_ scope: (@Sendable (() -> Void) -> Void)?) {
        let box = scope.map(CompletionScope.init)
        completionScope.withLock { $0 = box }
    }

    /// Commits whatever is pending and waits for it to be synced and
    /// completed: for shutdown and tests.
    public func flush() {
        queue.sync {
            while commit() {}
        }
        // Whatever was committed is with a sync queued or under way, ahead of this.
        syncQueue.sync {}
    }

    /// Transactions run so far.
    public var commitCount: UInt64 { pending.withLock { $0.commits } }

    /// Syncs run so far; one covers every transaction committed before it.
    public var syncCount: UInt64 { pending.withLock { $0.syncs } }

    private func schedule(_ wake: Wake) {
        switch wake {
        case .none:
            break
        case .now:
            queue.async { [self] in _ = commit() }
        case .after(let batch):
            queue.asyncAfter(deadline: .now() + settings.maxDelay) { [self] in
                if pending.withLock({ $0.batch == batch }) { _ = commit() }
            }
        }
    }

    /// Writes the oldest pending submissions (up to `maxBatch` changes) in
    /// one transaction, then completes them; false when nothing was pending.
    @discardableResult
    private func commit() -> Bool {
        dispatchPrecondition(condition: .onQueue(queue))
        let (batch, wake) = pending.withLock { p -> ([Submission], Wake) in
            p.batch &+= 1
            p.timerArmed = false
            p.commitQueued = false
            guard !p.submissions.isEmpty else { return ([], .none) }
            var taken = 0
            var changes = 0
            while taken < p.submissions.count, taken == 0 || changes + p.submissions[taken].changes.count <= settings.maxBatch {
                changes += p.submissions[taken].changes.count
                taken += 1
            }
            let batch = Array(p.submissions[..<taken])
            p.submissions.removeFirst(taken)
            p.changeCount -= changes
            p.commits += 1
            // What is left makes the next batch, on the same rules.
            guard !p.submissions.isEmpty else { return (batch, .none) }
            if p.changeCount >= settings.maxBatch {
                p.commitQueued = true
                return (batch, .now)
            }
            p.timerArmed = true
            return (batch, .after(batch: p.batch))
        }
        guard !batch.isEmpty else { return false }
        schedule(wake)
        let outcome: Result<Void, RegistrarStoreError>
        do {
            try store.apply(batch.flatMap(\.changes))
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        let startSync = pending.withLock { p -> Bool in
            p.committed.append(Committed(submissions: batch, outcome: outcome))
            defer { p.syncing = true }
            return !p.syncing
        }
        if startSync { syncQueue.async { [self] in syncCommitted() } }
        return true
    }

    /// Syncs what is committed and completes it, until nothing is left.
    private func syncCommitted() {
        dispatchPrecondition(condition: .onQueue(syncQueue))
        while true {
            let batches = pending.withLock { p -> [Committed] in
                let taken = p.committed
                p.committed = []
                // Cleared under the lock that the commit appends under: a commit after
                // this starts a sync of its own.
                if taken.isEmpty { p.syncing = false } else { p.syncs += 1 }
                return taken
            }
            guard !batches.isEmpty else { return }
            // Everything these batches wrote was written before this sync began.
            let synced: Result<Void, RegistrarStoreError>
            do {
                try store.sync()
                synced = .success(())
            } catch {
                synced = .failure(error)
            }
            let complete = {
                for committed in batches {
                    let outcome = committed.outcome.flatMap { synced }
                    for submission in committed.submissions { submission.completion(outcome) }
                }
            }
            if let scope = completionScope.withLock({ $0 }) { scope.run(complete) } else { complete() }
        }
    }
}
