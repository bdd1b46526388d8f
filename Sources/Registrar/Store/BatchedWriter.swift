import Dispatch
import Synchronization

/// Group commit for binding changes: the hot path hands changes over without
/// waiting; a writer queue commits what is pending in one transaction
/// `maxDelay` after the first change of a batch, or as soon as `maxBatch`
/// changes wait, then calls each submitter's completion in submission order.
///
/// A registrar sends the 200 to a REGISTER from its completion, so an
/// acknowledged binding is always durable, and SQLite latency is paid once
/// per batch rather than once per registration. Submitting takes a lock for
/// an append and wakes the writer queue once per batch, not per change.
///
/// Commits and completions run on `queue`, so completions should only hop
/// back to the submitter's own queue.
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
    }

    private enum Wake {
        case none
        case now
        case after(batch: UInt64)
    }

    private let store: any RegistrarStore
    private let settings: Settings
    private let queue: DispatchQueue
    private let pending = Mutex(Pending())
    private let completionScope = Mutex<CompletionScope?>(nil)

    /// What the completions of a commit run inside (`setCompletionScope`).
    private final class CompletionScope: Sendable {
        let run: @Sendable (() -> Void) -> Void
        init(_ run: @escaping @Sendable (() -> Void) -> Void) { self.run = run }
    }

    public init(store: any RegistrarStore, settings: Settings = Settings(), label: String = "switchboard.registrar.writer") {
        self.store = store
        self.settings = settings
        self.queue = DispatchQueue(label: label)
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

    /// Sets what the completions of each commit run inside, all of them in one
    /// call on the writer's queue (the server's: one turn that takes the
    /// answers they hand to the shards); nil runs them as they are.
    public func setCompletionScope(_ scope: (@Sendable (() -> Void) -> Void)?) {
        let box = scope.map(CompletionScope.init)
        completionScope.withLock { $0 = box }
    }

    /// Commits whatever is pending and waits for it: for shutdown and tests.
    public func flush() {
        queue.sync {
            while commit() {}
        }
    }

    /// Transactions run so far.
    public var commitCount: UInt64 { pending.withLock { $0.commits } }

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
        let complete = { for submission in batch { submission.completion(outcome) } }
        if let scope = completionScope.withLock({ $0 }) { scope.run(complete) } else { complete() }
        return true
    }
}
