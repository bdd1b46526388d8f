import Synchronization

/// The relay's UDP ports: a configured range handed out as pairs (RTP on an
/// even port, RTCP on the next odd one), both bound at allocation.
///
/// A port some other program holds (`EADDRINUSE`) is skipped, not an error.
/// A released port rests in quarantine for a while so that late packets of
/// the call that had it do not reach the next call. Time is passed in, so
/// tests can move it. Thread-safe; allocation is not on the packet path.
public final class RelayPortPool: Sendable {
    /// The configured range, e.g. 30000...39999; odd lower bounds start at the next even port.
    public let range: ClosedRange<UInt16>
    /// How long a released port pair stays unused.
    public let quarantine: Duration
    /// SO_RCVBUF/SO_SNDBUF for relay sockets; 0 keeps the system default.
    public let socketBufferSize: Int32

    private struct State {
        var cursor: Int
        var inUse: Set<UInt16> = []
        var releasedAt: [UInt16: ContinuousClock.Instant] = [:]
    }

    private let state: Mutex<State>
    private let evenPorts: [UInt16]

    public init(range: ClosedRange<UInt16>, quarantine: Duration = .seconds(10), socketBufferSize: Int32 = 0) {
        self.range = range
        self.quarantine = quarantine
        self.socketBufferSize = socketBufferSize
        var ports: [UInt16] = []
        var p = Int(range.lowerBound) + Int(range.lowerBound) % 2
        while p + 1 <= Int(range.upperBound) {
            ports.append(UInt16(p))
            p += 2
        }
        evenPorts = ports
        state = Mutex(State(cursor: 0))
    }

    /// Pairs the range can hold.
    public var capacity: Int { evenPorts.count }

    /// Pairs given out and not yet released.
    public var allocatedCount: Int { state.withLock { $0.inUse.count } }

    /// Binds an RTP/RTCP pair on `address` (its port is ignored): the next even
    /// port after the last one given, not in use and out of quarantine at `now`.
    public func allocate(on address: SocketAddress, now: ContinuousClock.Instant) throws(RelayPortPoolError) -> RelaySocketPair {
        var skippedInUse = 0
        var tried = 0
        while tried < evenPorts.count {
            guard let port = reserveNext(now: now, tried: &tried) else { break }
            do throws(MediaIOError) {
                return try bindPair(on: address, port: port)
            } catch {
                state.withLock { _ = $0.inUse.remove(port) }
                guard error.addressInUse else { throw .bindFailed(error) }
                skippedInUse += 1
            }
        }
        throw .exhausted(skippedInUse: skippedInUse)
    }

    /// Returns a pair's ports; they become available again after the quarantine from `now`.
    /// The sockets must be closed already (by the session or ``RelaySocketPair/closeUnstarted()``).
    public func release(_ pair: RelaySocketPair, at now: ContinuousClock.Instant) {
        release(port: pair.rtp.port, at: now)
    }

    func release(port: UInt16, at now: ContinuousClock.Instant) {
        state.withLock {
            guard $0.inUse.remove(port) != nil else { return }
            $0.releasedAt[port] = now
        }
    }

    /// Marks the next free port in use; advances `tried` by the candidates looked at.
    private func reserveNext(now: ContinuousClock.Instant, tried: inout Int) -> UInt16? {
        state.withLock { s in
            while tried < evenPorts.count {
                let port = evenPorts[s.cursor]
                s.cursor = (s.cursor + 1) % evenPorts.count
                tried += 1
                if s.inUse.contains(port) { continue }
                if let released = s.releasedAt[port] {
                    if now < released + quarantine { continue }
                    s.releasedAt[port] = nil
                }
                s.inUse.insert(port)
                return port
            }
            return nil
        }
    }

    private func bindPair(on address: SocketAddress, port: UInt16) throws(MediaIOError) -> RelaySocketPair {
        let rtp = try RelaySyscall.boundDatagramSocket(address.with(port: port), bufferSize: socketBufferSize)
        let rtcp: Int32
        do {
            rtcp = try RelaySyscall.boundDatagramSocket(address.with(port: port + 1), bufferSize: socketBufferSize)
        } catch {
            RelaySyscall.close(rtp)
            throw error
        }
        return RelaySocketPair(rtp: address.with(port: port), rtpDescriptor: rtp, rtcpDescriptor: rtcp)
    }
}
