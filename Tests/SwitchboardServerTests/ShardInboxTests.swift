import Dispatch
import Foundation
import Synchronization
import Testing

@testable import SIPTransport
@testable import SwitchboardServer

/// Work handed to a shard from another thread (a registrar's 200 after its
/// group commit) runs on the shard's queue, in posting order, exactly once,
/// whether or not a UDP receiver is there to take it.
@Suite("Shard inbox")
struct ShardInboxTests {
    final class Log: Sendable {
        let entries = Mutex<[String]>([])
        func add(_ s: String) { entries.withLock { $0.append(s) } }
        var all: [String] { entries.withLock { $0 } }
    }

    let queue = DispatchQueue(label: "test.shard")
    let onQueue = DispatchSpecificKey<Bool>()

    init() { queue.setSpecific(key: onQueue, value: true) }

    func work(_ name: String, _ log: Log) -> @Sendable () -> Void {
        let key = onQueue
        return { log.add(DispatchQueue.getSpecific(key: key) == true ? name : "\(name) off the queue") }
    }

    /// An inbox whose receivers drain it between batches, as `SIPService` sets it up.
    func drainedByReceivers() -> (ReceiverTurns, ShardInbox) {
        let turns = ReceiverTurns()
        let inbox = ShardInbox(queue: queue, receivers: turns)
        turns.setHandler { inbox.drain() }
        return (turns, inbox)
    }

    @Test("with every receiver waiting, a post wakes the shard's queue itself")
    func wakesWhenNoReceiverRuns() {
        let log = Log()
        let inbox = ShardInbox(queue: queue, receivers: ReceiverTurns())
        inbox.post(work("a", log))
        inbox.post(work("b", log))
        queue.sync {}
        #expect(log.all == ["a", "b"])
    }

    @Test("while a receiver runs, posts wait for it: it drains them in order between batches, and before it waits")
    func busyReceiverDrains() {
        let log = Log()
        let (turns, inbox) = drainedByReceivers()
        turns.began()
        inbox.post(work("a", log))
        inbox.post(work("b", log))
        queue.sync {}
        #expect(log.all.isEmpty, "no turn of its own while a receiver will take the work")
        turns.finishedBatch()
        #expect(log.all == ["a", "b"])
        inbox.post(work("c", log))
        turns.willWait()
        #expect(log.all == ["a", "b", "c"])
        // Now that no receiver runs, the next post wakes the queue.
        inbox.post(work("d", log))
        queue.sync {}
        #expect(log.all == ["a", "b", "c", "d"])
    }

    @Test("a thread taking a turn (the registrar's queue, its writer) counts as a receiver: posts made during it run once it ends, on the shard's queue")
    func takingTurnDrains() {
        let log = Log()
        let (turns, inbox) = drainedByReceivers()
        turns.takingTurn {
            inbox.post(work("a", log))
            inbox.post(work("b", log))
            queue.sync {}
            log.add(log.all.isEmpty ? "posted, nothing run" : "ran during the turn")
        }
        #expect(log.all == ["posted, nothing run", "a", "b"])
        #expect(!turns.receiving)
    }

    @Test("posts from many threads while receivers come and go each run once")
    func concurrentPosts() {
        let log = Log()
        let (turns, inbox) = drainedByReceivers()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            for _ in 0..<200 {
                turns.began()
                turns.finishedBatch()
                turns.willWait()
            }
        }
        DispatchQueue.concurrentPerform(iterations: 400) { i in inbox.post(work("\(i)", log)) }
        group.wait()
        turns.began()
        turns.willWait()
        queue.sync {}
        #expect(Set(log.all) == Set((0..<400).map { "\($0)" }))
        #expect(log.all.count == 400)
    }
}

@Suite("Receiver turns")
struct ReceiverTurnsTests {
    @Test("the handler runs at the same stack depth at the thousandth batch as at the first: no closure re-wrapped per call")
    func handlerDoesNotGrow() {
        let depths = Mutex<[Int]>([])
        let turns = ReceiverTurns()
        turns.setHandler { depths.withLock { $0.append(Thread.callStackReturnAddresses.count) } }
        turns.began()
        for _ in 0..<1000 { turns.finishedBatch() }
        let seen = depths.withLock { $0 }
        #expect(seen.count == 1000)
        #expect(Set(seen).count == 1, "depth went from \(seen.first ?? 0) to \(seen.last ?? 0)")
    }
}
