import Dispatch
import Logging
import SIPCore
import Synchronization

/// Switchboard's transports: UDP listeners, TCP/TLS listeners and
/// connections, behind one `MessageSender`.
///
/// Set `onMessage` and `onFailure`, then `start()`. Messages are delivered
/// on the receiving socket's serial queue (one per UDP address family, one
/// per stream connection); the layer above hops to its own shard. `send`
/// may be called from any queue and never blocks.
public final class SIPTransportLayer: MessageSender, @unchecked Sendable {
    public let configuration: TransportConfiguration
    private let handlers: Handlers
    private let udp4: UDPEndpoints
    private let udp6: UDPEndpoints
    private let table: ConnectionTable
    private let control: Mutex<Control>
    /// Serializes start, stop and reconfigure, which block on socket queues; never taken on a socket queue.
    private let lifecycle = Mutex<Void>(())

    private struct Control {
        var requested: [ListenAddress]
        var open: [ListenAddress: OpenListener] = [:]
        var started = false
    }

    private enum OpenListener {
        case datagram(SocketAddress)
        case stream(TCPListener)

        var local: SocketAddress {
            switch self {
            case .datagram(let a): return a
            case .stream(let l): return l.local
            }
        }
    }

    /// What the UDP receiver threads run between batches (`ReceiverTurns`).
    public let receiverTurns = ReceiverTurns()

    /// The callbacks of the layer above; written before `start()` only, read-only after.
    private final class Handlers: @unchecked Sendable {
        var onMessage: @Sendable (InboundMessage) -> Void = { _ in }
        var onFailure: @Sendable (TransportFailure) -> Void = { _ in }
    }

    public init(listeners: [ListenAddress], configuration: TransportConfiguration = TransportConfiguration()) {
        self.configuration = configuration
        let handlers = Handlers()
        self.handlers = handlers
        let context = DeliveryContext(
            onMessage: { handlers.onMessage($0) }, onFailure: { handlers.onFailure($0) }, configuration: configuration,
            receiverTurns: receiverTurns)
        udp4 = UDPEndpoints(family: .ipv4, context: context)
        udp6 = UDPEndpoints(family: .ipv6, context: context)
        table = ConnectionTable(context: context)
        control = Mutex(Control(requested: listeners))
    }

    /// Called with every message received, on the receiving socket's queue. Set before `start()`.
    public var onMessage: @Sendable (InboundMessage) -> Void {
        get { handlers.onMessage }
        set {
            precondition(!control.withLock { $0.started }, "set onMessage before start()")
            handlers.onMessage = newValue
        }
    }

    /// Called when a send fails (no route, connect refused, connection lost). Set before `start()`.
    public var onFailure: @Sendable (TransportFailure) -> Void {
        get { handlers.onFailure }
        set {
            precondition(!control.withLock { $0.started }, "set onFailure before start()")
            handlers.onFailure = newValue
        }
    }

    /// Installs the engine for a stream transport (the TLS engine for `.tls`);
    /// connections opened afterwards use it. TCP uses the identity transform
    /// unless another is installed.
    public func setStreamTransform(_ factory: StreamTransformFactory?, for transport: TransportProtocol) {
        precondition(transport != .udp, "UDP has no stream transform")
        table.setTransform(factory, for: transport)
    }

    /// Applies new idle and handshake timeouts (SIGHUP) to connections opened
    /// from now on; open connections keep the ones they began with.
    public func setStreamTimeouts(idle: Double, handshake: Double) {
        table.setTimeouts(StreamTimeouts(idle: idle, handshake: handshake))
    }

    // MARK: lifecycle

    /// Opens every listener. On failure nothing stays open and the error names the listener.
    public func start() throws(ListenError) {
        try lifecycle.withLock { (_) throws(ListenError) in
            let requested: [ListenAddress] = control.withLock { c in
                precondition(!c.started, "start() called twice")
                return c.requested
            }
            // Sockets open outside `control`, which handlers may take (localAddress) on the queues being opened.
            let open = try open(requested, keeping: [:])
            control.withLock { c in
                c.open = open
                c.started = true
            }
        }
        table.startSweep()
    }

    /// Closes every listener and connection and waits (up to 5 seconds) for their descriptors to close.
    /// Not to be called from `onMessage` or `onFailure`.
    public func stop() {
        lifecycle.withLock { _ in
            let group = DispatchGroup()
            let listeners: [ListenAddress: OpenListener] = control.withLock { c in
                defer {
                    c.open = [:]
                    c.started = false
                }
                return c.open
            }
            table.stopSweep()
            for (listen, listener) in listeners { close(listen, listener, group: group) }
            table.closeAll(group: group)
            if group.wait(timeout: .now() + 5) == .timedOut {
                configuration.logger.warning("transport stop timed out waiting for sockets to close")
            }
        }
    }

    /// Applies a new listener list (SIGHUP): listeners in both lists keep
    /// their sockets, new ones open, the others close. Connections stay. If
    /// a new listener cannot open, nothing changes.
    public func reconfigure(listeners wanted: [ListenAddress]) throws(ListenError) {
        try lifecycle.withLock { (_) throws(ListenError) in
            let (current, started) = control.withLock { ($0.open, $0.started) }
            guard started else {
                control.withLock { $0.requested = wanted }
                return
            }
            let wantedSet = Set(wanted)
            let kept = current.filter { wantedSet.contains($0.key) }
            let removed = current.filter { !wantedSet.contains($0.key) }
            let open = try open(wanted, keeping: kept)
            control.withLock { c in
                c.open = open
                c.requested = wanted
            }
            let group = DispatchGroup()
            for (listen, listener) in removed { close(listen, listener, group: group) }
            _ = group.wait(timeout: .now() + 5)
        }
    }

    /// Opens `wanted` except those in `keeping`; closes what it opened if one fails.
    private func open(_ wanted: [ListenAddress], keeping: [ListenAddress: OpenListener]) throws(ListenError) -> [ListenAddress: OpenListener] {
        var result = keeping
        var opened: [ListenAddress: OpenListener] = [:]
        for listen in wanted where result[listen] == nil {
            do throws(ListenError) {
                let listener = try openOne(listen)
                result[listen] = listener
                opened[listen] = listener
            } catch {
                let group = DispatchGroup()
                for (l, o) in opened { close(l, o, group: group) }
                _ = group.wait(timeout: .now() + 5)
                throw error
            }
        }
        return result
    }

    private func openOne(_ listen: ListenAddress) throws(ListenError) -> OpenListener {
        if listen.transport != .udp, !table.hasTransform(for: listen.transport) {
            throw ListenError(listen: listen, reason: "no \(listen.transport) engine installed")
        }
        do throws(IOError) {
            switch listen.transport {
            case .udp:
                return .datagram(try endpoints(listen.address.family).open(listen))
            case .tcp, .tls:
                let context = DeliveryContext(
                    onMessage: { [handlers] in handlers.onMessage($0) }, onFailure: { [handlers] in handlers.onFailure($0) },
                    configuration: configuration, receiverTurns: receiverTurns)
                let listener = try TCPListener(listen: listen, context: context, table: table)
                listener.start()
                configuration.logger.info("listening", metadata: ["listen": "\(listen)", "local": "\(listener.local)"])
                return .stream(listener)
            }
        } catch {
            throw ListenError(listen: listen, reason: "\(error)")
        }
    }

    private func close(_ listen: ListenAddress, _ listener: OpenListener, group: DispatchGroup) {
        switch listener {
        case .datagram:
            endpoints(listen.address.family).close(listen, group: group)
        case .stream(let l):
            group.enter()
            l.close { group.leave() }
        }
    }

    private func endpoints(_ family: SocketAddress.Family) -> UDPEndpoints { family == .ipv4 ? udp4 : udp6 }

    // MARK: sending

    /// Sends one message: UDP from the listener of the target's family;
    /// TCP/TLS over the target's connection when still open, else over a
    /// connection to the same address, else over a new one.
    public func send(_ bytes: [UInt8], to target: OutboundTarget) {
        switch target.transport {
        case .udp:
            endpoints(target.address.family).send(bytes, to: target.address)
        case .tcp, .tls:
            switch table.connection(for: target) {
            case .success(let (connection, isNew)):
                if isNew { connection.startConnecting() }
                connection.send(bytes)
            case .failure(let failure):
                table.record { $0.sendFailures += 1 }
                handlers.onFailure(failure)
            }
        }
    }

    /// The address to put in Via and Record-Route for a message to `target`:
    /// the listener it leaves from (for streams, the listener peers connect
    /// back to), with a wildcard listener's address replaced by the source
    /// address the system routes from.
    public func localAddress(toward target: OutboundTarget) -> SocketAddress? {
        let local: SocketAddress?
        switch target.transport {
        case .udp:
            local = endpoints(target.address.family).localAddress(toward: target.address)
        case .tcp, .tls:
            let candidates = control.withLock { c in
                c.open.filter { $0.key.transport == target.transport && $0.key.address.family == target.address.family }.map(\.value.local)
            }
            local = UDPEndpoints.choose(candidates.sorted { $0.description < $1.description }, toward: target.address)
        }
        guard let local, local.isWildcard else { return local }
        guard let routed = try? Syscall.routeSource(toward: target.address) else { return local }
        return routed.with(port: local.port)
    }

    // MARK: inspection

    /// The address each listener is bound to (the system's port for port 0).
    public var boundAddresses: [ListenAddress: SocketAddress] {
        control.withLock { $0.open.mapValues(\.local) }
    }

    /// The bound address of one listener.
    public func boundAddress(of listen: ListenAddress) -> SocketAddress? {
        control.withLock { $0.open[listen]?.local }
    }

    /// The counters now. UDP counts are read on their sockets' queues.
    public var statistics: TransportStatistics {
        var s = table.counters()
        s.add(datagramCountersOf: udp4.counters())
        s.add(datagramCountersOf: udp6.counters())
        return s
    }
}

/// A listener that could not be opened, with the system's reason.
public struct ListenError: Error, Sendable, Hashable, CustomStringConvertible {
    public var listen: ListenAddress
    public var reason: String
    public init(listen: ListenAddress, reason: String) {
        self.listen = listen
        self.reason = reason
    }
    public var description: String { "cannot listen on \(listen): \(reason)" }
}
