import Dispatch
import Logging
import Synchronization

/// One core's share of the media relay: a serial queue that owns the
/// sessions placed on it, one epoll set holding all their sockets, and one
/// Dispatch read source on that set.
///
/// A read source per socket costs a Dispatch event per packet (at 50
/// packets a second per stream, every readable socket holds one packet):
/// the manager thread's `epoll_wait`, two `epoll_ctl` to disarm and rearm,
/// an eventfd write and two thread switches, about two thirds of the
/// relay's CPU. Here the source only wakes the shard; the shard then waits
/// in `epoll_wait` on its own set while packets keep coming (up to
/// ``RelayShardConfiguration/holdTime`` between packets, and
/// ``RelayShardConfiguration/turnLength`` in one go), so while media flows
/// the kernel wakes it directly, as it would wake a poller thread, and a
/// wake-up relays whatever every ready socket holds.
///
/// Work for the queue goes through ``sync(execute:)`` and
/// ``async(execute:)``: they ring a doorbell in the set so a waiting shard
/// gives the queue back at once. Sessions, streams and legs are confined to
/// `queue`; the doorbell counters are atomics, not locks.
public final class RelayShard: @unchecked Sendable {
    public let queue: DispatchQueue
    public let configuration: RelayShardConfiguration
    /// Forwards plain RTP directions in the kernel; nil relays everything here.
    public let kernelForwarder: KernelForwarder?
    let logger: Logger
    /// Receive slots and send vectors, shared by every socket of the shard.
    let buffers: DatagramBuffers
    /// Per queued send: whether it is RTCP (for the counters).
    let sendIsRTCP: UnsafeMutablePointer<Bool>
    private let epollFD: Int32
    private let doorbellFD: Int32
    /// Why the shard cannot relay (no epoll set or doorbell): sockets cannot be registered.
    private let setupError: MediaIOError?
    private var source: DispatchSourceRead?
    private var entries: [Entry] = []
    private var freeSlots: [Int] = []
    private let tokens: UnsafeMutablePointer<UInt64>
    private static let maxEvents = 64
    private static let doorbellToken = UInt64.max
    private let holdMilliseconds: Int64
    private let turnNanoseconds: Int64
    /// Blocks submitted through `sync`/`async` and not started yet.
    private let waiting = Atomic<Int>(0)
    /// True while the shard waits in `epoll_wait` holding the queue.
    private let holding = Atomic<Bool>(false)

    /// A registered socket: the stream and side it belongs to. Its epoll token is the slot and its generation.
    struct Entry {
        var stream: RelayStream?
        var side: MediaLegSide
        var rtcpPort: Bool
        var fd: Int32
        var generation: UInt32
    }

    public init(
        label: String, configuration: RelayShardConfiguration = RelayShardConfiguration(),
        kernelForwarder: KernelForwarder? = nil, logger: Logger = Logger(label: "switchboard.media")
    ) {
        self.queue = DispatchQueue(label: label)
        self.configuration = configuration
        self.kernelForwarder = kernelForwarder
        self.logger = logger
        buffers = DatagramBuffers(
            count: configuration.batchSize, slotSize: configuration.maxDatagramSize, headroom: SRTPSession.trailerCapacity)
        sendIsRTCP = .allocate(capacity: buffers.count)
        sendIsRTCP.initialize(repeating: false, count: buffers.count)
        tokens = .allocate(capacity: Self.maxEvents)
        holdMilliseconds = max(0, Int64(MediaSession.nanoseconds(configuration.holdTime) / 1_000_000))
        turnNanoseconds = max(0, Int64(MediaSession.nanoseconds(configuration.turnLength)))
        var epollFD: Int32 = -1
        var doorbellFD: Int32 = -1
        var setupError: MediaIOError?
        do throws(MediaIOError) {
            epollFD = try RelaySyscall.epollCreate()
            doorbellFD = try RelaySyscall.eventCreate()
            try RelaySyscall.epollAdd(epollFD, doorbellFD, token: Self.doorbellToken)
        } catch {
            setupError = error
            logger.error("media relay shard cannot start", metadata: ["shard": "\(label)", "error": "\(error)"])
        }
        self.epollFD = epollFD
        self.doorbellFD = doorbellFD
        self.setupError = setupError
        guard setupError == nil else { return }
        let source = DispatchSource.makeReadSource(fileDescriptor: epollFD, queue: queue)
        source.setEventHandler { [weak self] in self?.serve() }
        source.setCancelHandler {
            RelaySyscall.close(doorbellFD)
            RelaySyscall.close(epollFD)
        }
        self.source = source
        source.resume()
    }

    deinit {
        if let source {
            source.cancel()
        } else {
            if doorbellFD >= 0 { RelaySyscall.close(doorbellFD) }
            if epollFD >= 0 { RelaySyscall.close(epollFD) }
        }
        sendIsRTCP.deallocate()
        tokens.deallocate()
    }

    // MARK: work for the queue

    /// Runs `work` on the queue and waits for it, taking the queue from a shard waiting for packets.
    public func sync<T>(execute work: () throws -> T) rethrows -> T {
        knock()
        return try queue.sync {
            waiting.subtract(1, ordering: .sequentiallyConsistent)
            return try work()
        }
    }

    /// Runs `work` on the queue, taking the queue from a shard waiting for packets.
    public func async(execute work: @escaping @Sendable () -> Void) {
        knock()
        queue.async { [self] in
            waiting.subtract(1, ordering: .sequentiallyConsistent)
            work()
        }
    }

    /// Announces a block for the queue; rings when the shard is waiting in epoll. Either this
    /// sees `holding`, or the shard, about to wait, sees `waiting` (both sequentially consistent).
    private func knock() {
        waiting.add(1, ordering: .sequentiallyConsistent)
        if holding.load(ordering: .sequentiallyConsistent), doorbellFD >= 0 {
            RelaySyscall.eventSignal(doorbellFD)
        }
    }

    @inline(__always)
    func assertOnQueue() {
        #if DEBUG
        dispatchPrecondition(condition: .onQueue(queue))
        #endif
    }

    // MARK: sockets

    /// Adds a socket of `side` of `stream` to the set; returns its slot.
    func register(_ fd: Int32, stream: RelayStream, side: MediaLegSide, rtcpPort: Bool) throws(MediaIOError) -> Int {
        assertOnQueue()
        if let setupError { throw setupError }
        let slot: Int
        if let free = freeSlots.popLast() {
            slot = free
        } else {
            slot = entries.count
            entries.append(Entry(stream: nil, side: side, rtcpPort: rtcpPort, fd: -1, generation: 0))
        }
        entries[slot].stream = stream
        entries[slot].side = side
        entries[slot].rtcpPort = rtcpPort
        entries[slot].fd = fd
        do {
            try RelaySyscall.epollAdd(epollFD, fd, token: UInt64(entries[slot].generation) << 32 | UInt64(slot))
        } catch {
            release(slot)
            throw error
        }
        return slot
    }

    /// Takes a socket out of the set (before it is closed).
    func unregister(_ fd: Int32, slot: Int) {
        assertOnQueue()
        guard slot < entries.count, entries[slot].fd == fd else { return }
        do throws(MediaIOError) {
            try RelaySyscall.epollRemove(epollFD, fd)
        } catch {
            logger.debug("media socket not in the relay set", metadata: ["fd": "\(fd)", "error": "\(error)"])
        }
        release(slot)
    }

    private func release(_ slot: Int) {
        entries[slot].stream = nil
        entries[slot].fd = -1
        entries[slot].generation &+= 1
        freeSlots.append(slot)
    }

    /// Sockets in the set.
    var registeredCount: Int { entries.count - freeSlots.count }

    // MARK: serving

    /// The read source's handler: relays what is ready, then keeps the queue while packets keep
    /// coming, waiting for them in epoll; gives it back when the line is idle for the hold time,
    /// after a turn, or when work for the queue knocks.
    private func serve() {
        let start = ContinuousClock.now
        var timeout: Int32 = 0
        while true {
            if timeout > 0 {
                holding.store(true, ordering: .sequentiallyConsistent)
                if waiting.load(ordering: .sequentiallyConsistent) > 0 {
                    holding.store(false, ordering: .sequentiallyConsistent)
                    return
                }
            }
            let ready: Int
            do throws(MediaIOError) {
                ready = try RelaySyscall.epollWait(epollFD, tokens, max: Self.maxEvents, timeoutMilliseconds: timeout)
            } catch {
                holding.store(false, ordering: .sequentiallyConsistent)
                logger.warning("media relay wait failed", metadata: ["error": "\(error)"])
                return
            }
            if timeout > 0 { holding.store(false, ordering: .sequentiallyConsistent) }
            if ready == 0, timeout > 0 || holdMilliseconds == 0 { return }
            let now = ContinuousClock.now
            for k in 0..<ready {
                let token = tokens[k]
                if token == Self.doorbellToken {
                    RelaySyscall.eventDrain(doorbellFD)
                    continue
                }
                let slot = Int(token & 0xFFFF_FFFF)
                let entry = entries[slot]
                guard entry.generation == UInt32(token >> 32), let stream = entry.stream else { continue }
                relay(fd: entry.fd, stream: stream, side: entry.side, rtcpPort: entry.rtcpPort, now: now)
            }
            if waiting.load(ordering: .sequentiallyConsistent) > 0 { return }
            let elapsed = now - start
            let left = turnNanoseconds - Int64(MediaSession.nanoseconds(elapsed))
            if left <= 0 { return }
            timeout = Int32(clamping: min(holdMilliseconds, max(1, left / 1_000_000)))
        }
    }
}
