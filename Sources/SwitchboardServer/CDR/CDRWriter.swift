import CallCore
import Dispatch
import Logging

/// Group commit for call records: shards hand records over without
/// waiting; a writer queue commits everything pending in one transaction
/// every `maxDelay` or `maxBatch` calls, whichever comes first.
///
/// A failed commit loses nothing: the records stay pending and are tried
/// again after `retryDelay`, up to `maxPending` calls, beyond which the
/// oldest are dropped (and logged and counted) rather than exhausting memory.
///
/// Mutable state is confined to `queue`.
public final class CDRWriter: CDRSink, @unchecked Sendable {
    public struct Settings: Sendable, Equatable {
        /// Longest a record waits for its batch to commit.
        public var maxDelay: DispatchTimeInterval
        /// A batch with this many calls commits at once.
        public var maxBatch: Int
        /// How long after a failed commit the next try comes.
        public var retryDelay: DispatchTimeInterval
        /// Calls kept while the store fails; older ones are dropped beyond it.
        public var maxPending: Int

        public init(
            maxDelay: DispatchTimeInterval = .milliseconds(5), maxBatch: Int = 256, retryDelay: DispatchTimeInterval = .seconds(1),
            maxPending: Int = 100_000
        ) {
            self.maxDelay = maxDelay
            self.maxBatch = max(1, maxBatch)
            self.retryDelay = retryDelay
            self.maxPending = max(self.maxBatch, maxPending)
        }
    }

    /// Counters for `ctl status` and metrics.
    public struct Statistics: Sendable, Equatable {
        /// Calls committed to the store.
        public var recorded: UInt64 = 0
        /// Transactions that committed.
        public var commits: UInt64 = 0
        /// Transactions that failed (their records were kept).
        public var failures: UInt64 = 0
        /// Calls dropped because the store kept failing with `maxPending` waiting.
        public var dropped: UInt64 = 0
        /// Calls waiting for a commit.
        public var pending: Int = 0
    }

    private let store: any CDRStore
    private let settings: Settings
    private let logger: Logger
    private let queue: DispatchQueue
    private var pending: [CDREntry] = []
    /// Bumped at each commit, so a timer armed for an earlier batch does nothing.
    private var batch: UInt64 = 0
    private var timerArmed = false
    private var stats = Statistics()

    public init(
        store: any CDRStore, settings: Settings = Settings(), logger: Logger = Logger(label: "switchboard.cdr"),
        label: String = "switchboard.cdr.writer"
    ) {
        self.store = store
        self.settings = settings
        self.logger = logger
        self.queue = DispatchQueue(label: label)
    }

    /// Queues the call's records for the next commit. Never blocks.
    public func record(call: CallDetailRecord, attempts: [CallAttemptRecord]) {
        let entry = CDREntry(call: call, attempts: attempts)
        queue.async { [self] in
            pending.append(entry)
            if pending.count >= settings.maxBatch {
                commit()
            } else {
                arm(after: settings.maxDelay)
            }
        }
    }

    /// Commits whatever is pending and waits for it: at drain, before exit, and in tests.
    /// Throws the store's error if records are still pending afterwards.
    public func flush() throws(CDRStoreError) {
        let outcome: Result<Void, CDRStoreError> = queue.sync {
            commit()
            return lastFailure.map { .failure($0) } ?? .success(())
        }
        try outcome.get()
    }

    public var statistics: Statistics {
        queue.sync {
            var s = stats
            s.pending = pending.count
            return s
        }
    }

    /// The error of the last commit, nil if it succeeded.
    private var lastFailure: CDRStoreError?

    private func arm(after delay: DispatchTimeInterval) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !timerArmed else { return }
        timerArmed = true
        let armedFor = batch
        queue.asyncAfter(deadline: .now() + delay) { [self] in
            if batch == armedFor { commit() }
        }
    }

    private func commit() {
        dispatchPrecondition(condition: .onQueue(queue))
        batch &+= 1
        timerArmed = false
        guard !pending.isEmpty else { return }
        do {
            try store.insert(pending)
            stats.recorded += UInt64(pending.count)
            stats.commits += 1
            if lastFailure != nil {
                logger.notice("call records written again", metadata: ["calls": "\(pending.count)"])
            }
            pending = []
            lastFailure = nil
        } catch {
            stats.failures += 1
            if lastFailure != error {
                logger.error("cannot write call records, keeping them to try again", metadata: ["error": "\(error)"])
            }
            lastFailure = error
            if pending.count > settings.maxPending {
                let excess = pending.count - settings.maxPending
                for entry in pending.prefix(excess) {
                    logger.error(
                        "call record dropped", metadata: ["call-id": "\(entry.call.callID)", "uuid": "\(entry.call.callUUID)"])
                }
                pending.removeFirst(excess)
                stats.dropped += UInt64(excess)
            }
            arm(after: settings.retryDelay)
        }
    }
}
