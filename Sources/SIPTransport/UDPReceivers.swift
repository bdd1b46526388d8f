#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CSwitchboardShims
import Dispatch
import Logging
import Synchronization

/// The threads that receive on one UDP socket. Each blocks in `recvmmsg`
/// (MSG_WAITFORONE) on the blocking descriptor and hands every datagram to
/// `handle` on its own thread, which runs the message through its shard at
/// once (`DispatchQueue.sync` on an idle shard runs inline). What the batch
/// causes to be sent over UDP leaves together at its end (`SendBatch`).
///
/// A Dispatch read source costs three thread wake-ups per readable event on
/// Linux (the manager thread's `epoll_wait`, the worker it wakes, the manager
/// again to re-arm the source); a blocked receiver costs one. The kernel wakes
/// one blocked receiver per arriving datagram (an exclusive wait), so with
/// one receiver per shard the shards run in parallel, as several processes
/// reading one socket do in other SIP servers.
final class UDPReceivers: @unchecked Sendable {
    /// What a receiver hands over: the datagram's bytes and source, and the
    /// receiver's own counters to update.
    typealias Handler = @Sendable (_ bytes: [UInt8], _ source: SocketAddress, _ counters: inout TransportStatistics) -> Void

    private let fd: Int32
    private let logger: Logger
    private let stopping = Atomic<Bool>(false)
    private let running = DispatchGroup()
    private let counters: [Counters]
    private let turns: ReceiverTurns

    /// One receiver's counters, added to after each batch.
    private final class Counters: Sendable {
        let value = Mutex(TransportStatistics())
    }

    /// Starts `count` receivers on `fd`, which must be a blocking datagram socket.
    init(fd: Int32, count: Int, batchSize: Int, name: String, turns: ReceiverTurns, logger: Logger, handle: @escaping Handler) {
        self.fd = fd
        self.logger = logger
        self.turns = turns
        counters = (0..<max(1, count)).map { _ in Counters() }
        for index in counters.indices {
            running.enter()
            ReceiveThread.start(name: "\(name)-\(index)") { [self] in
                receive(into: DatagramBuffers(count: batchSize), counters: counters[index], handle: handle)
                running.leave()
            }
        }
    }

    /// The receivers' counters added together.
    var statistics: TransportStatistics {
        var total = TransportStatistics()
        for c in counters { total.add(datagramCountersOf: c.value.withLock { $0 }) }
        return total
    }

    /// Wakes the receivers and stops them; `done` runs on `queue` once the
    /// last has returned, after which the descriptor may be closed.
    func stop(notifying queue: DispatchQueue, done: @escaping @Sendable () -> Void) {
        stopping.store(true, ordering: .releasing)
        // Wakes every receiver blocked on the socket (Linux wakes the waiters of
        // an unconnected UDP socket too); each sees `stopping` and returns.
        Syscall.shutdownReceiving(fd)
        running.notify(queue: queue, execute: done)
    }

    private func receive(into buffers: DatagramBuffers, counters: Counters, handle: Handler) {
        var local = TransportStatistics()
        let batch = SendBatch(buffers: buffers)
        // The receiver counts itself out of `turns` around each receive (which
        // blocks when nothing is waiting), and in again when it returns.
        turns.began()
        defer { turns.willWait() }
        while !stopping.load(ordering: .acquiring) {
            buffers.prepareReceive()
            turns.willWait()
            let received: Int?
            do {
                received = try Syscall.recvmmsg(fd, buffers.headers, count: buffers.count, wait: true)
                turns.began()
            } catch {
                turns.began()
                if stopping.load(ordering: .acquiring) { break }
                logger.warning("receive failed", metadata: ["error": "\(error)"])
                // A persistent error (ENOMEM) must not spin a core.
                usleep(10_000)
                continue
            }
            // nil: the receive timeout passed with nothing to read.
            guard let n = received else { continue }
            if stopping.load(ordering: .acquiring) { break }
            batch.begin()
            defer { batch.end() }
            for i in 0..<n {
                let d = buffers.received(i)
                local.datagramsIn += 1
                guard let source = d.source else { continue }
                if d.truncated {
                    local.dropped += 1
                    continue
                }
                handle(d.bytes, source, &local)
            }
            turns.finishedBatch()
            counters.value.withLock { $0.add(datagramCountersOf: local) }
            local = TransportStatistics()
        }
    }
}

/// A thread of its own for a loop that blocks, named for `top -H` and `perf`.
enum ReceiveThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Body(body)).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { raw in
                let body = Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue()
                body.run()
                return nil
            }, context)
        precondition(created == 0, "pthread_create failed: \(created)")
        // Linux limits thread names to 15 bytes.
        _ = sb_thread_set_name(thread, String(name.prefix(15)))
        pthread_detach(thread)
    }
}
