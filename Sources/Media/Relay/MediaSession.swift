import Dispatch
import Logging

/// The media of one call: a stream per relayed m-line, each with an A leg
/// and a B leg, relayed by one ``RelayShard`` (many sessions share a shard).
///
/// Confined to the shard's queue: create it anywhere, then call every other
/// method on `queue`, preferably through ``RelayShard/sync(execute:)`` or
/// ``RelayShard/async(execute:)``, which take the queue from a shard waiting
/// for packets at once. Started streams' sockets are in the shard's epoll
/// set; the shard reads them in `recvmmsg` batches and sends in `sendmmsg` batches.
public final class MediaSession: @unchecked Sendable {
    public let id: String
    public let relay: RelayShard
    public let configuration: MediaSessionConfiguration
    let pool: RelayPortPool
    let logger: Logger
    private let onTimeout: @Sendable (MediaSessionTimeout) -> Void
    var streams: [Int: RelayStream] = [:]
    private var timer: DispatchSourceTimer?
    private var started = false
    private var closing = false
    private var timedOut = false
    private var createdAt: ContinuousClock.Instant

    public init(
        id: String, configuration: MediaSessionConfiguration = MediaSessionConfiguration(), portPool: RelayPortPool,
        relay: RelayShard, logger: Logger = Logger(label: "switchboard.media"),
        onTimeout: @escaping @Sendable (MediaSessionTimeout) -> Void
    ) {
        self.id = id
        self.configuration = configuration
        self.pool = portPool
        self.relay = relay
        self.logger = logger
        self.onTimeout = onTimeout
        self.createdAt = .now
    }

    /// The relay shard's queue, which the session is confined to.
    public var queue: DispatchQueue { relay.queue }

    @inline(__always)
    func assertOnQueue() {
        #if DEBUG
        dispatchPrecondition(condition: .onQueue(queue))
        #endif
    }

    // MARK: streams

    /// Allocates the relay ports of m-line `mediaIndex` on both sides: A's
    /// sockets on `localA`, B's on `localB` (their ports are ignored). Streams
    /// whose m-line has port 0 are not opened.
    @discardableResult
    public func openStream(
        mediaIndex: Int, localA: SocketAddress, localB: SocketAddress, now: ContinuousClock.Instant = .now
    ) throws(RelayPortPoolError) -> MediaStreamPorts {
        assertOnQueue()
        precondition(streams[mediaIndex] == nil, "stream \(mediaIndex) is already open")
        precondition(!closing, "session \(id) is closing")
        let a = try pool.allocate(on: localA, now: now)
        let b: RelaySocketPair
        do {
            b = try pool.allocate(on: localB, now: now)
        } catch {
            a.closeUnstarted()
            pool.release(a, at: now)
            throw error
        }
        let stream = RelayStream(
            mediaIndex: mediaIndex, legA: RelayLeg(sockets: a), legB: RelayLeg(sockets: b), latchPolicy: configuration.latchPolicy)
        streams[mediaIndex] = stream
        if started { startReading(stream) }
        return MediaStreamPorts(mediaIndex: mediaIndex, a: a, b: b)
    }

    /// Sets where one side receives media, from its SDP (offer, answer or a
    /// re-INVITE's). The local ports stay; a changed address forgets the latch,
    /// so the relay sends to the new address until the peer's packets arrive
    /// from it. nil (or 0.0.0.0) sends nothing until a packet latches the leg.
    public func setRemote(mediaIndex: Int, side: MediaLegSide, peer: MediaPeer?, rtcpMux: Bool = false) {
        assertOnQueue()
        guard let stream = streams[mediaIndex] else { return }
        let leg = stream.leg(side)
        leg.signal(peer)
        leg.rtcpMux = rtcpMux
        updateKernelRules(stream)
    }

    /// Installs the processing of one direction (SRTP, transcoding); nil relays packets as they are.
    public func setTransform(mediaIndex: Int, direction: RelayDirection, _ transform: MediaPacketTransform?) {
        assertOnQueue()
        guard let stream = streams[mediaIndex] else { return }
        if direction == .aToB { stream.transformAToB = transform } else { stream.transformBToA = transform }
        updateKernelRules(stream)
    }

    /// Counters of every stream, in m-line order (what the kernel forwarded included).
    public func statistics() -> [MediaStreamStatistics] {
        assertOnQueue()
        syncKernelCounters(now: .now)
        return streams.keys.sorted().compactMap { streams[$0]?.statistics }
    }

    /// Directions forwarded in the kernel now, over all streams.
    public var kernelForwardedDirections: Int {
        assertOnQueue()
        return streams.values.reduce(0) { $0 + ($1.kernelAToB == nil ? 0 : 1) + ($1.kernelBToA == nil ? 0 : 1) }
    }

    // MARK: kernel forwarding

    private func updateKernelRules(_ stream: RelayStream, now: ContinuousClock.Instant = .now) {
        guard let kernel = relay.kernelForwarder else { return }
        stream.updateKernelRules(kernel, now: now, logger: logger)
    }

    /// Folds what the kernel forwarded into every stream's counters and latches.
    private func syncKernelCounters(now: ContinuousClock.Instant) {
        guard let kernel = relay.kernelForwarder else { return }
        for stream in streams.values { stream.syncKernelCounters(kernel, now: now) }
    }

    // MARK: lifecycle

    /// Starts reading every stream's sockets and the media timeout check.
    public func start() {
        assertOnQueue()
        guard !started, !closing else { return }
        started = true
        createdAt = .now
        for index in streams.keys.sorted() {
            if let stream = streams[index] { startReading(stream) }
        }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = DispatchTimeInterval.nanoseconds(Self.nanoseconds(configuration.timeoutCheckInterval))
        timer.schedule(deadline: .now() + interval, repeating: interval)
        timer.setEventHandler { [unowned self] in self.checkTimeout(now: .now) }
        self.timer = timer
        timer.resume()
    }

    /// Stops one stream (its m-line was set to port 0 by a re-INVITE): its sockets close, its ports are released.
    public func closeStream(mediaIndex: Int, at now: ContinuousClock.Instant = .now) {
        assertOnQueue()
        guard let stream = streams[mediaIndex], !stream.closing else { return }
        stopAndClose(stream, at: now)
    }

    /// Tears the session down: sockets leave the shard's set and close, ports
    /// return to the pool (quarantined from `now`); then `done` runs, on the queue.
    public func close(at now: ContinuousClock.Instant = .now, done: (@Sendable () -> Void)? = nil) {
        assertOnQueue()
        guard !closing else { return }
        closing = true
        timer?.cancel()
        timer = nil
        for index in streams.keys.sorted() {
            if let stream = streams[index] { stopAndClose(stream, at: now) }
        }
        logger.debug("media session closed", metadata: ["session": "\(id)"])
        done?()
    }

    private func startReading(_ stream: RelayStream) {
        for side in MediaLegSide.allCases {
            let leg = stream.leg(side)
            do throws(MediaIOError) {
                leg.rtpSlot = try relay.register(leg.sockets.rtpDescriptor, stream: stream, side: side, rtcpPort: false)
                leg.rtcpSlot = try relay.register(leg.sockets.rtcpDescriptor, stream: stream, side: side, rtcpPort: true)
            } catch {
                logger.error(
                    "media sockets cannot be read", metadata: ["session": "\(id)", "stream": "\(stream.mediaIndex)", "error": "\(error)"])
            }
        }
    }

    private func stopAndClose(_ stream: RelayStream, at now: ContinuousClock.Instant) {
        stream.closing = true
        // Rules go first: their last counts are folded in and the ports stop being forwarded.
        updateKernelRules(stream, now: now)
        streams[stream.mediaIndex] = nil
        for side in MediaLegSide.allCases {
            let leg = stream.leg(side)
            if let slot = leg.rtpSlot { relay.unregister(leg.sockets.rtpDescriptor, slot: slot) }
            if let slot = leg.rtcpSlot { relay.unregister(leg.sockets.rtcpDescriptor, slot: slot) }
            leg.rtpSlot = nil
            leg.rtcpSlot = nil
            guard leg.isOpen else { continue }
            leg.isOpen = false
            leg.sockets.close()
            pool.release(leg.sockets, at: now)
        }
    }

    // MARK: timeout

    /// Reports the session dead once when no stream has received a packet for `mediaTimeout`.
    func checkTimeout(now: ContinuousClock.Instant) {
        guard !closing, !timedOut else { return }
        syncKernelCounters(now: now)
        var last: ContinuousClock.Instant?
        for stream in streams.values {
            for instant in [stream.aToB.lastPacket, stream.bToA.lastPacket].compactMap({ $0 }) {
                last = max(last ?? instant, instant)
            }
        }
        guard now - (last ?? createdAt) >= configuration.mediaTimeout else { return }
        timedOut = true
        logger.info("media timeout", metadata: ["session": "\(id)", "streams": "\(streams.count)"])
        onTimeout(MediaSessionTimeout(sessionID: id, lastPacket: last, statistics: statistics()))
    }

    static func nanoseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}
