import Dispatch
import Logging

/// The media of one call: a stream per relayed m-line, each with an A leg
/// and a B leg, all read and written on one serial queue (a session may
/// share its queue with others: pass a shard's queue).
///
/// Confined to `queue`: create it anywhere, then call every other method on
/// `queue`. Packets are read with one Dispatch read source per socket, in
/// `recvmmsg` batches, and leave in `sendmmsg` batches after each read.
public final class MediaSession: @unchecked Sendable {
    public let id: String
    public let queue: DispatchQueue
    public let configuration: MediaSessionConfiguration
    let pool: RelayPortPool
    let logger: Logger
    private let onTimeout: @Sendable (MediaSessionTimeout) -> Void
    var streams: [Int: RelayStream] = [:]
    /// Streams whose sources are cancelled and whose descriptors are not all closed yet.
    private var closingStreams: [ObjectIdentifier: RelayStream] = [:]
    let buffers: RelayDatagramBuffers
    private var timer: DispatchSourceTimer?
    private var started = false
    private var closing = false
    private var timedOut = false
    private var createdAt: ContinuousClock.Instant
    private var closeTime: ContinuousClock.Instant?
    private var onClosed: (@Sendable () -> Void)?

    public init(
        id: String, configuration: MediaSessionConfiguration = MediaSessionConfiguration(), portPool: RelayPortPool,
        queue: DispatchQueue, logger: Logger = Logger(label: "switchboard.media"),
        onTimeout: @escaping @Sendable (MediaSessionTimeout) -> Void
    ) {
        self.id = id
        self.configuration = configuration
        self.pool = portPool
        self.queue = queue
        self.logger = logger
        self.onTimeout = onTimeout
        self.buffers = RelayDatagramBuffers(count: configuration.batchSize, slotSize: configuration.maxDatagramSize)
        self.createdAt = .now
    }

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
        let stream = RelayStream(mediaIndex: mediaIndex, legA: RelayLeg(sockets: a), legB: RelayLeg(sockets: b))
        streams[mediaIndex] = stream
        if started { startSources(of: stream) }
        return MediaStreamPorts(mediaIndex: mediaIndex, a: a, b: b)
    }

    /// Sets where one side receives media, from its SDP (offer, answer or a
    /// re-INVITE's). The local ports stay; a changed address forgets the latch,
    /// so the relay sends to the new address until the peer's packets arrive
    /// from it. nil (or 0.0.0.0) sends nothing until a packet latches the leg.
    public func setRemote(mediaIndex: Int, side: MediaLegSide, peer: MediaPeer?, rtcpMux: Bool = false) {
        assertOnQueue()
        guard let leg = streams[mediaIndex]?.leg(side) else { return }
        leg.signal(peer)
        leg.rtcpMux = rtcpMux
    }

    /// Installs the processing of one direction (SRTP, transcoding); nil relays packets as they are.
    public func setTransform(mediaIndex: Int, direction: RelayDirection, _ transform: MediaPacketTransform?) {
        assertOnQueue()
        guard let stream = streams[mediaIndex] else { return }
        if direction == .aToB { stream.transformAToB = transform } else { stream.transformBToA = transform }
    }

    /// Counters of every stream, in m-line order.
    public func statistics() -> [MediaStreamStatistics] {
        assertOnQueue()
        return streams.keys.sorted().compactMap { index in
            guard let stream = streams[index] else { return nil }
            var s = stream.statistics
            s.latchedA = stream.legA.rtpLatch.latched
            s.latchedB = stream.legB.rtpLatch.latched
            return s
        }
    }

    // MARK: lifecycle

    /// Starts reading every stream's sockets and the media timeout check.
    public func start() {
        assertOnQueue()
        guard !started, !closing else { return }
        started = true
        createdAt = .now
        for index in streams.keys.sorted() {
            if let stream = streams[index] { startSources(of: stream) }
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
        closeSources(of: stream, at: now)
    }

    /// Tears the session down: read sources are cancelled, sockets closed in
    /// their cancel handlers, ports returned to the pool (quarantined from
    /// `now`); then `done` runs on the queue.
    public func close(at now: ContinuousClock.Instant = .now, done: (@Sendable () -> Void)? = nil) {
        assertOnQueue()
        guard !closing else { return }
        closing = true
        closeTime = now
        onClosed = done
        timer?.cancel()
        timer = nil
        for index in streams.keys.sorted() {
            if let stream = streams[index], !stream.closing { closeSources(of: stream, at: now) }
        }
        finishIfClosed()
    }

    private func startSources(of stream: RelayStream) {
        for side in MediaLegSide.allCases {
            let leg = stream.leg(side)
            leg.rtpSource = makeSource(fd: leg.sockets.rtpDescriptor, stream: stream, side: side, rtcpPort: false)
            leg.rtcpSource = makeSource(fd: leg.sockets.rtcpDescriptor, stream: stream, side: side, rtcpPort: true)
        }
    }

    private func makeSource(fd: Int32, stream: RelayStream, side: MediaLegSide, rtcpPort: Bool) -> DispatchSourceRead {
        let index = stream.mediaIndex
        let identity = ObjectIdentifier(stream)
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [unowned self] in self.readable(fd: fd, stream: index, side: side, rtcpPort: rtcpPort) }
        source.setCancelHandler { [self] in self.descriptorClosed(fd: fd, stream: identity, side: side) }
        source.resume()
        return source
    }

    private func closeSources(of stream: RelayStream, at now: ContinuousClock.Instant) {
        stream.closing = true
        closeTime = closeTime ?? now
        streams[stream.mediaIndex] = nil
        closingStreams[ObjectIdentifier(stream)] = stream
        for side in MediaLegSide.allCases {
            let leg = stream.leg(side)
            leg.pendingRTP.removeAll()
            leg.pendingRTCP.removeAll()
            if let rtp = leg.rtpSource, let rtcp = leg.rtcpSource {
                rtp.cancel()
                rtcp.cancel()
            } else {
                // Never started: no source owns the descriptors.
                RelaySyscall.close(leg.sockets.rtpDescriptor)
                RelaySyscall.close(leg.sockets.rtcpDescriptor)
                leg.openDescriptors = 0
                pool.release(leg.sockets, at: now)
            }
        }
        if stream.legA.openDescriptors == 0, stream.legB.openDescriptors == 0 {
            closingStreams[ObjectIdentifier(stream)] = nil
        }
    }

    private func descriptorClosed(fd: Int32, stream identity: ObjectIdentifier, side: MediaLegSide) {
        RelaySyscall.close(fd)
        guard let stream = closingStreams[identity] else { return }
        let leg = stream.leg(side)
        leg.openDescriptors -= 1
        if leg.openDescriptors == 0 {
            leg.rtpSource = nil
            leg.rtcpSource = nil
            pool.release(leg.sockets, at: closeTime ?? .now)
        }
        if stream.legA.openDescriptors == 0, stream.legB.openDescriptors == 0 {
            closingStreams[identity] = nil
            finishIfClosed()
        }
    }

    private func finishIfClosed() {
        guard closing, streams.isEmpty, closingStreams.isEmpty, let done = onClosed else { return }
        onClosed = nil
        logger.debug("media session closed", metadata: ["session": "\(id)"])
        done()
    }

    // MARK: timeout

    /// Reports the session dead once when no stream has received a packet for `mediaTimeout`.
    func checkTimeout(now: ContinuousClock.Instant) {
        guard !closing, !timedOut else { return }
        var last: ContinuousClock.Instant?
        for stream in streams.values {
            for instant in [stream.statistics.aToB.lastPacket, stream.statistics.bToA.lastPacket].compactMap({ $0 }) {
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
