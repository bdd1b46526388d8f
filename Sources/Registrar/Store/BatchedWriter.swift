import Dispatch

/// Group commit for binding changes: the hot path hands changes over without
/// waiting; a writer queue commits everything pending in one transaction
/// every `maxDelay` or `maxBatch` changes, whichever comes first, then calls
/// each submitter's completion in submission order.
///
/// A registrar sends the 200 to a REGISTER from its completion, so an
/// acknowledged binding is always durable, and SQLite latency is paid once
/// per batch rather than once per registration.
///
/// Mutable state is confined to `queue`; completions run on it too, so they
/// should only hop back to the submitter's own queue.
public final class BatchedWriter: @unchecked Sendable {
    public typealias Completion = @Sendable (Result<Void, RegistrarStoreError>) -> Void

    public struct Settings: Sendable, Equatable {
        /// Longest a change waits for its batch to commit.
        public var maxDelay: DispatchTimeInterval
        /// A batch with this many changes commits at once.
        public var maxBatch: Int

        public init(maxDelay: DispatchTimeInterval = .milliseconds(5), maxBatch: Int = 512) {
            self.maxDelay = maxDelay
            self.maxBatch = max(1, maxBatch)
        }
    }

    private let store: any RegistrarStore
    private let settings: Settings
    private let queue: DispatchQueue
    private var pending: [BindingChange] = []
    private var waiters: [Completion] = []
    /// Bumped at each commit, so a timer armed for an earlier batch does nothing.
    private var batch: UInt64 = 0
    private var timerArmed = false
    /// Transactions committed (or attempted), for metrics.
    private var commits: UInt64 = 0

    public init(store: any RegistrarStore, settings: Settings = Settings(), label: String = "switchboard.registrar.writer") {
        self.store = store
        self.settings = settings
        self.queue = DispatchQueue(label: label)
    }

    /// Queues `changes` for the next commit; `completion` runs after it, with
    /// the commit's outcome. Never blocks. An empty change list completes
    /// after everything submitted before it is durable.
    public func submit(_ changes: [BindingChange], completion: @escaping Completion) {
        queue.async { [self] in
            pending.append(contentsOf: changes)
            waiters.append(completion)
            if pending.count >= settings.maxBatch {
                commit()
            } else if !timerArmed {
                timerArmed = true
                let armedFor = batch
                queue.asyncAfter(deadline: .now() + settings.maxDelay) { [self] in
                    if batch == armedFor { commit() }
                }
            }
        }
    }

    /// Commits whatever is pending and waits for it: for shutdown and tests.
    public func flush() {
        queue.sync { commit() }
    }

    /// Transactions run so far.
    public var commitCount: UInt64 { queue.sync { commits } }

    private func commit() {
        dispatchPrecondition(condition: .onQueue(queue))
        batch &+= 1
        timerArmed = false
        guard !waiters.isEmpty else { return }
        let changes = pending
        let done = waiters
        pending = []
        waiters = []
        commits += 1
        let outcome: Result<Void, RegistrarStoreError>
        do {
            try store.apply(changes)
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        for completion in done { completion(outcome) }
    }
}
