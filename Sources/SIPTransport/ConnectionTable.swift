import Dispatch
import Synchronization

/// Every open TCP/TLS connection, by id and by (transport, remote address),
/// for reuse: responses go back over the connection a request came on, and
/// requests to a peer reuse a connection already open to it (RFC 3261
/// 18.2.2, RFC 5923 aliases). One lock, held for table lookups only; the
/// datagram path never takes it.
final class ConnectionTable: Sendable {
    struct Key: Hashable {
        var transport: TransportProtocol
        var address: SocketAddress
    }

    private struct State {
        var connections: [ConnectionID: TCPConnection] = [:]
        var byKey: [Key: ConnectionID] = [:]
        var keysByID: [ConnectionID: [Key]] = [:]
        var nextID: UInt64 = 1
        var inbound = 0
        var counters = TransportStatistics()
        var transforms: [TransportProtocol: StreamTransformFactory] = [:]
        var timeouts: StreamTimeouts
    }

    private let state: Mutex<State>
    private let context: DeliveryContext
    private let sweepQueue = DispatchQueue(label: "switchboard.transport.idle-sweep")
    private let sweep = SweepTimer()

    init(context: DeliveryContext) {
        self.context = context
        let timeouts = StreamTimeouts(idle: context.configuration.idleTimeout, handshake: context.configuration.handshakeTimeout)
        state = Mutex(State(timeouts: timeouts))
    }

    /// The idle and handshake timeouts of connections made from now on; the
    /// sweep timer follows the shortest timeout in force.
    func setTimeouts(_ timeouts: StreamTimeouts) {
        let changed = state.withLock { s in
            defer { s.timeouts = timeouts }
            return s.timeouts != timeouts
        }
        guard changed else { return }
        sweepQueue.sync {
            guard sweep.timer != nil else { return }
            startSweepLocked()
        }
    }

    /// Installs (or removes) the transform factory for a stream transport.
    func setTransform(_ factory: StreamTransformFactory?, for transport: TransportProtocol) {
        state.withLock { $0.transforms[transport] = factory }
    }

    func hasTransform(for transport: TransportProtocol) -> Bool {
        transport == .tcp || state.withLock { $0.transforms[transport] != nil }
    }

    private static func transform(
        _ s: State, _ transport: TransportProtocol, _ ctx: StreamContext
    ) throws(StreamTransformError) -> any StreamTransform {
        if let factory = s.transforms[transport] { return try factory(ctx) }
        guard transport == .tcp else { throw StreamTransformError(reason: "no \(transport) engine installed") }
        return IdentityStreamTransform()
    }

    /// Takes an accepted descriptor into the table, or refuses it at the
    /// connection limit (the caller then closes it).
    func admit(fd: Int32, peer: SocketAddress, local: SocketAddress, transport: TransportProtocol) -> TCPConnection? {
        let result: Result<TCPConnection, StreamTransformError>? = state.withLock { s in
            guard s.inbound < context.configuration.maxConnections else {
                s.counters.connectionsRefused += 1
                return nil
            }
            let id = ConnectionID(rawValue: s.nextID)
            s.nextID += 1
            let ctx = StreamContext(transport: transport, role: .accepted, local: local, peer: peer, serverName: nil, connection: id)
            do throws(StreamTransformError) {
                let transform = try Self.transform(s, transport, ctx)
                let c = TCPConnection(
                    id: id, fd: fd, transport: transport, peer: peer, role: .accepted, transform: transform, timeouts: s.timeouts,
                    context: context, table: self)
                s.connections[id] = c
                s.inbound += 1
                s.counters.connectionsAccepted += 1
                Self.bind(&s, Key(transport: transport, address: peer), to: id)
                return .success(c)
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let c)?:
            return c
        case .failure(let error)?:
            context.logger.warning("connection refused", metadata: ["peer": "\(transport):\(peer)", "cause": "\(error)"])
            return nil
        case nil:
            context.logger.info("connection limit reached", metadata: ["peer": "\(transport):\(peer)"])
            return nil
        }
    }

    /// The open connection to send over: the target's own connection when it
    /// is still open, else one registered for (transport, address), else a
    /// new outbound connection (returned with `isNew`, to be started).
    func connection(for target: OutboundTarget) -> Result<(TCPConnection, isNew: Bool), TransportFailure> {
        state.withLock { s in
            if let id = target.connection, let c = s.connections[id] { return .success((c, false)) }
            let key = Key(transport: target.transport, address: target.address)
            if let id = s.byKey[key], let c = s.connections[id] { return .success((c, false)) }
            let id = ConnectionID(rawValue: s.nextID)
            s.nextID += 1
            let ctx = StreamContext(
                transport: target.transport, role: .initiated, local: nil, peer: target.address, serverName: target.serverName, connection: id)
            let transform: any StreamTransform
            do throws(StreamTransformError) {
                transform = try Self.transform(s, target.transport, ctx)
            } catch {
                return .failure(TransportFailure(target: target, reason: error.reason))
            }
            let fd: Int32
            do throws(IOError) {
                fd = try Syscall.socket(family: target.address.family, kind: .stream)
            } catch {
                return .failure(TransportFailure(target: target, reason: "\(error)"))
            }
            let c = TCPConnection(
                id: id, fd: fd, transport: target.transport, peer: target.address, role: .initiated, transform: transform,
                timeouts: s.timeouts, context: context, table: self)
            s.connections[id] = c
            s.counters.connectionsInitiated += 1
            Self.bind(&s, key, to: id)
            return .success((c, true))
        }
    }

    /// The connection with this id, if still open.
    func connection(_ id: ConnectionID) -> TCPConnection? {
        state.withLock { $0.connections[id] }
    }

    /// RFC 5923: requests to the Via sent-by of a request that carried
    /// `alias` may reuse the connection it came on.
    func register(alias: SocketAddress, transport: TransportProtocol, connection id: ConnectionID) {
        state.withLock { s in
            guard s.connections[id] != nil else { return }
            Self.bind(&s, Key(transport: transport, address: alias), to: id)
        }
    }

    private static func bind(_ s: inout State, _ key: Key, to id: ConnectionID) {
        if let previous = s.byKey[key], previous == id { return }
        s.byKey[key] = id
        s.keysByID[id, default: []].append(key)
    }

    /// Forgets a closed connection and the addresses registered for it.
    func remove(_ id: ConnectionID) {
        state.withLock { s in
            guard let c = s.connections.removeValue(forKey: id) else { return }
            if c.role == .accepted { s.inbound -= 1 }
            for key in s.keysByID.removeValue(forKey: id) ?? [] where s.byKey[key] == id {
                s.byKey[key] = nil
            }
        }
    }

    /// Updates the stream counters (rare events only: accept, close, errors).
    func record(_ body: (inout TransportStatistics) -> Void) {
        state.withLock { body(&$0.counters) }
    }

    func counters() -> TransportStatistics {
        state.withLock { s in
            var c = s.counters
            c.connectionsOpen = s.connections.count
            return c
        }
    }

    /// Closes every connection; `group` is left as each descriptor closes.
    func closeAll(group: DispatchGroup) {
        let all = state.withLock { Array($0.connections.values) }
        for c in all {
            group.enter()
            c.queue.async { c.close { group.leave() } }
        }
    }

    /// Starts the one periodic timer that closes connections idle, stuck in
    /// a handshake or with a message half-received for too long, and
    /// connections that linger too long in closing.
    func startSweep() {
        sweepQueue.sync { startSweepLocked() }
    }

    /// On the sweep queue: (re)starts the timer at a quarter of the shortest timeout, within 50 ms...5 s.
    private func startSweepLocked() {
        dispatchPrecondition(condition: .onQueue(sweepQueue))
        let timeouts = state.withLock { $0.timeouts }
        let lingerNanos = UInt64(context.configuration.closeLingerTimeout * 1e9)
        let shortest = Double(min(timeouts.idle, timeouts.handshake, lingerNanos)) / 1e9
        let interval = min(max(shortest / 4, 0.05), 5)
        sweep.timer?.cancel()
        let timer = DispatchSource.makeTimerSource(queue: sweepQueue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(Int(interval * 250)))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let all = state.withLock { Array($0.connections.values) }
            for c in all {
                c.queue.async { c.checkIdle(now: DispatchTime.now().uptimeNanoseconds, linger: lingerNanos) }
            }
        }
        sweep.timer = timer
        timer.resume()
    }

    func stopSweep() {
        sweepQueue.sync {
            sweep.timer?.cancel()
            sweep.timer = nil
        }
    }
}

/// The sweep timer, confined to the table's sweep queue.
private final class SweepTimer: @unchecked Sendable {
    var timer: DispatchSourceTimer?
}
