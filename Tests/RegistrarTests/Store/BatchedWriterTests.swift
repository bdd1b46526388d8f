import Dispatch
import Foundation
import SIPCore
import Synchronization
import Testing
@testable import Registrar

private typealias R = RegisterRequests

@Suite("Batched writer (group commit)") struct BatchedWriterTests {
    static func registration(_ i: Int) throws -> RegistrationResult {
        try R.process(R.make(to: "<sip:user\(i)@example.com>", contacts: ["<sip:u\(i)@10.0.0.5>"]))
    }

    @Test("RFC 3261 10.3 step 8: completions fire in submission order, each after its binding is durable")
    func completionOrderAndDurability() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        let observer = try SQLiteRegistrarStore(directory: dir.path)
        // A long delay: batches commit on size only, so the batching is deterministic.
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .seconds(3600), maxBatch: 5))
        let seen = Mutex<[(index: Int, durable: Bool)]>([])
        let results = try (0..<20).map { try Self.registration($0) }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            for (i, r) in results.enumerated() {
                writer.submit(r.changes) { outcome in
                    let durable = (try? observer.loadBindings(now: R.now).contains(r.bindings[0])) ?? false
                    let ok = (try? outcome.get()) != nil
                    let count = seen.withLock { s in
                        s.append((i, durable && ok))
                        return s.count
                    }
                    if count == results.count { done.resume() }
                }
            }
        }
        let order = seen.withLock { $0 }
        #expect(order.map(\.index) == Array(0..<20))
        #expect(order.allSatisfy { $0.durable })
        #expect(writer.commitCount == 4)
    }

    @Test("RFC 3261 10.3 step 8: flush commits a partial batch; an empty submission completes after earlier ones")
    func flushPartial() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .seconds(3600), maxBatch: 100))
        let order = Mutex<[String]>([])
        writer.submit(try Self.registration(1).changes) { _ in order.withLock { $0.append("register") } }
        writer.submit([]) { _ in order.withLock { $0.append("query") } }
        writer.flush()
        #expect(order.withLock { $0 } == ["register", "query"])
        #expect(try store.loadBindings(now: R.now).count == 1)
        #expect(writer.commitCount == 1)
    }

    @Test("RFC 3261 10.3 step 8: a commit's completions all run inside one call of the completion scope, after the commit")
    func completionScope() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .seconds(3600), maxBatch: 100))
        let log = Mutex<[String]>([])
        writer.setCompletionScope { body in
            log.withLock { $0.append("enter") }
            body()
            log.withLock { $0.append("leave") }
        }
        for i in 1...3 {
            writer.submit(try Self.registration(i).changes) { outcome in
                let durable = (try? store.loadBindings(now: R.now).count) == 3
                log.withLock { $0.append(durable && (try? outcome.get()) != nil ? "\(i)" : "\(i) not durable") }
            }
        }
        writer.flush()
        #expect(log.withLock { $0 } == ["enter", "1", "2", "3", "leave"])
        writer.setCompletionScope(nil)
        writer.submit([]) { _ in log.withLock { $0.append("unscoped") } }
        writer.flush()
        #expect(log.withLock { $0 }.last == "unscoped")
        #expect(log.withLock { $0 }.filter { $0 == "enter" }.count == 1)
    }

    @Test("RFC 3261 10.3 step 8: the delay timer commits a batch that never fills")
    func timerCommits() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .milliseconds(2), maxBatch: 1000))
        let r = try Self.registration(1)
        let outcome = await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
            writer.submit(r.changes) { done.resume(returning: (try? $0.get()) != nil) }
        }
        #expect(outcome)
        #expect(try store.loadBindings(now: R.now) == r.bindings)
    }

    @Test("RFC 3261 10.3: a failed commit reports the typed error to every submitter of the batch")
    func failureReported() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        try store.close()
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .seconds(3600), maxBatch: 100))
        let failures = Mutex(0)
        for i in 0..<3 {
            writer.submit(try Self.registration(i).changes) { outcome in
                if case .failure(let e) = outcome, e.status == 500 { failures.withLock { $0 += 1 } }
            }
        }
        writer.flush()
        #expect(failures.withLock { $0 } == 3)
    }
}

extension BatchedWriterTests {
    @Test("RFC 3261 10.3 step 8: a batch holds at most maxBatch changes; the rest commits after the delay")
    func remainderCommitsOnTimer() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .milliseconds(2), maxBatch: 5))
        let results = try (0..<7).map { try Self.registration($0) }
        let done = Mutex(0)
        await withCheckedContinuation { (finished: CheckedContinuation<Void, Never>) in
            for r in results {
                writer.submit(r.changes) { _ in
                    if done.withLock({ $0 += 1; return $0 }) == results.count { finished.resume() }
                }
            }
        }
        #expect(writer.commitCount == 2)
        #expect(try store.loadBindings(now: R.now).count == 7)
    }
}

/// The real store, with each call recorded in order, and a sync that can be
/// held back until the test lets it go.
private final class RecordingStore: RegistrarStore {
    let store: SQLiteRegistrarStore
    let events = Mutex<[String]>([])
    /// While set, `sync()` records its start and waits for `release`.
    let holdSyncs = Mutex(false)
    let syncStarted = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
    /// While set, `sync()` fails as a disk that reports an I/O error would.
    let failSyncs = Mutex(false)

    init(_ store: SQLiteRegistrarStore) { self.store = store }

    func record(_ event: String) { events.withLock { $0.append(event) } }

    func apply(_ changes: [BindingChange]) throws(RegistrarStoreError) {
        try store.apply(changes)
        record("apply \(changes.map(\.aor.description).joined(separator: ","))")
    }

    func sync() throws(RegistrarStoreError) {
        record("sync")
        if holdSyncs.withLock({ $0 }) {
            syncStarted.signal()
            release.wait()
        }
        if failSyncs.withLock({ $0 }) { throw .write("fdatasync: Input/output error") }
        try store.sync()
        record("synced")
    }

    func loadBindings(now: Double) throws(RegistrarStoreError) -> [Binding] { try store.loadBindings(now: now) }
    func putUser(_ user: UserRecord) throws(RegistrarStoreError) { try store.putUser(user) }
    func removeUser(username: String, realm: String) throws(RegistrarStoreError) -> Bool {
        try store.removeUser(username: username, realm: realm)
    }
    func users() throws(RegistrarStoreError) -> [UserRecord] { try store.users() }
    func user(username: String, realm: String) throws(RegistrarStoreError) -> UserRecord? {
        try store.user(username: username, realm: realm)
    }
    func userSnapshot() throws(RegistrarStoreError) -> (users: UserTable, cursor: Int64) { try store.userSnapshot() }
    func userChanges(after cursor: Int64) throws(RegistrarStoreError) -> UserChanges { try store.userChanges(after: cursor) }
    func pruneUserChanges(through cursor: Int64) throws(RegistrarStoreError) { try store.pruneUserChanges(through: cursor) }
}

extension BatchedWriterTests {
    @Test("RFC 3261 10.3 step 8: a completion runs after a sync begun after its commit; the next batch commits while the last is synced")
    func syncAfterCommitPipelined() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = RecordingStore(try SQLiteRegistrarStore(directory: dir.path))
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .seconds(3600), maxBatch: 1))
        store.holdSyncs.withLock { $0 = true }
        writer.submit(try Self.registration(1).changes) { _ in store.record("complete 1") }
        store.syncStarted.wait()
        // The first batch's sync is under way: the second commits meanwhile, and waits for a sync of its own.
        store.holdSyncs.withLock { $0 = false }
        writer.submit(try Self.registration(2).changes) { _ in store.record("complete 2") }
        writer.submit(try Self.registration(3).changes) { _ in store.record("complete 3") }
        // Bounded: each wait is for a commit on the writer's queue, which runs on its own.
        for _ in 0..<1000 where store.events.withLock({ $0.count }) < 4 { usleep(1000) }
        store.release.signal()
        writer.flush()
        #expect(
            store.events.withLock { $0 } == [
                "apply sip:user1@example.com", "sync", "apply sip:user2@example.com", "apply sip:user3@example.com",
                "synced", "complete 1", "sync", "synced", "complete 2", "complete 3",
            ])
        #expect(writer.commitCount == 3)
        #expect(writer.syncCount == 2)
    }

    @Test("RFC 3261 10.3: a sync that fails fails every batch it covered, with the typed error")
    func syncFailureReported() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = RecordingStore(try SQLiteRegistrarStore(directory: dir.path))
        store.failSyncs.withLock { $0 = true }
        let writer = BatchedWriter(store: store, settings: .init(maxDelay: .seconds(3600), maxBatch: 100))
        let outcomes = Mutex<[Int]>([])
        for i in 0..<2 {
            writer.submit(try Self.registration(i).changes) { outcome in
                outcomes.withLock { $0.append((try? outcome.get()) == nil ? 500 : 200) }
            }
        }
        writer.flush()
        #expect(outcomes.withLock { $0 } == [500, 500])
    }
}
