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
