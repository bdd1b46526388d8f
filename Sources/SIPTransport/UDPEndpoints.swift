import Dispatch
import Synchronization

/// The UDP listeners of one address family and the serial queue they run
/// on. A send goes out at once from the caller's thread (`sendto` on the
/// chosen socket, under a short lock that keeps the descriptor open): a hop
/// onto another queue costs a thread wake-up per datagram, which under load
/// is most of a proxy's CPU. Only when the socket buffer is full (or the send
/// fails) does the datagram hop onto the queue, to wait for writability and
/// leave in a `sendmmsg` batch or be reported.
final class UDPEndpoints: @unchecked Sendable {
    let family: SocketAddress.Family
    let queue: DispatchQueue
    /// Confined to `queue`.
    private var listeners: [UDPListener] = []
    /// Counters of listeners already closed, confined to `queue`.
    private var retired = TransportStatistics()
    private let context: DeliveryContext
    /// The bound addresses, readable from any queue without a hop (for Via and Record-Route).
    private let locals = Mutex<[SocketAddress]>([])
    private let queueKey = DispatchSpecificKey<Bool>()
    /// Open sockets for direct sends; an entry is removed before its descriptor
    /// closes. Sockets are told apart by their listener, never by descriptor
    /// number: a closed socket's number is soon another's.
    private let direct = Mutex(DirectSockets())

    private struct DirectSockets {
        var sockets: [(local: SocketAddress, listener: UDPListener)] = []
        var sent = 0
    }

    init(family: SocketAddress.Family, context: DeliveryContext) {
        self.family = family
        self.context = context
        queue = DispatchQueue(label: "switchboard.transport.udp.\(family == .ipv4 ? "v4" : "v6")")
        queue.setSpecific(key: queueKey, value: true)
    }

    /// Runs `body` on the queue: inline when already there (a handler of the layer above calling back), else synchronously.
    private func onQueue<R>(_ body: () -> R) -> R {
        if DispatchQueue.getSpecific(key: queueKey) == true { return body() }
        return queue.sync(execute: body)
    }

    /// Opens a listener on this family's queue. Blocks until it is bound.
    func open(_ listen: ListenAddress) throws(IOError) -> SocketAddress {
        let result: Result<SocketAddress, IOError> = onQueue {
            do throws(IOError) {
                let listener = try UDPListener(listen: listen, queue: queue, context: context)
                listener.start()
                listeners.append(listener)
                locals.withLock { $0.append(listener.local) }
                direct.withLock { $0.sockets.append((listener.local, listener)) }
                context.logger.info("listening", metadata: ["listen": "\(listen)", "local": "\(listener.local)"])
                return .success(listener.local)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    /// Closes the listener opened for `listen`; `group` is left when its descriptor is closed.
    func close(_ listen: ListenAddress, group: DispatchGroup) {
        group.enter()
        queue.async { [self] in
            guard let index = listeners.firstIndex(where: { $0.listen == listen }) else { return group.leave() }
            let listener = listeners.remove(at: index)
            locals.withLock { $0.removeAll { $0 == listener.local } }
            direct.withLock { $0.sockets.removeAll { $0.listener === listener } }
            listener.close { [self] in
                retired.add(datagramCountersOf: listener.counters)
                group.leave()
            }
        }
    }

    /// Closes every listener.
    func closeAll(group: DispatchGroup) {
        let all: [ListenAddress] = onQueue { listeners.map(\.listen) }
        for listen in all { close(listen, group: group) }
    }

    /// Sends a datagram from the listener that fits `destination` best: at
    /// the end of the receiver's batch when the caller runs in one, else now.
    func send(_ bytes: [UInt8], to destination: SocketAddress) {
        let sentDirectly: Bool = direct.withLock { state in
            let chosen: UDPListener?
            if state.sockets.count == 1 {
                chosen = state.sockets[0].listener
            } else if let local = Self.choose(state.sockets.map(\.local), toward: destination) {
                chosen = state.sockets.first { $0.local == local }?.listener
            } else {
                chosen = nil
            }
            guard let listener = chosen else { return false }
            if let batch = SendBatch.current {
                batch.add(bytes, to: destination, from: listener, of: self)
                return true
            }
            guard (try? Syscall.sendto(listener.fd, bytes, to: destination)) ?? nil != nil else { return false }
            state.sent += 1
            return true
        }
        if sentDirectly { return }
        enqueue(bytes, to: destination)
    }

    /// Sends a receiver's held-back datagrams on `listener`'s socket in one
    /// `sendmmsg`, if it is still open; what it cannot take waits on the queue.
    func send(_ datagrams: [OutgoingDatagram], from listener: UDPListener, using buffers: DatagramBuffers) {
        let sent: Int = direct.withLock { state in
            guard state.sockets.contains(where: { $0.listener === listener }) else { return 0 }
            buffers.prepareSend(datagrams[...])
            let n = ((try? Syscall.sendmmsg(listener.fd, buffers.sendHeaders, count: datagrams.count)) ?? nil) ?? 0
            state.sent += n
            return n
        }
        for d in datagrams[sent...] { enqueue(d.bytes, to: d.destination) }
    }

    /// Hands a datagram to its listener's queue, to leave once the socket is writable (or be reported).
    private func enqueue(_ bytes: [UInt8], to destination: SocketAddress) {
        queue.async { [self] in
            guard let listener = listener(toward: destination) else {
                context.onFailure(
                    TransportFailure(
                        target: OutboundTarget(transport: .udp, address: destination),
                        reason: "no UDP listener for \(family == .ipv4 ? "IPv4" : "IPv6")"))
                return
            }
            listener.enqueue(bytes, to: destination)
        }
    }

    /// The address a datagram to `destination` leaves from.
    func localAddress(toward destination: SocketAddress) -> SocketAddress? {
        locals.withLock { Self.choose($0, toward: destination) }
    }

    /// The counters of this family's listeners, open and closed.
    func counters() -> TransportStatistics {
        onQueue {
            var total = retired
            for l in listeners { total.add(datagramCountersOf: l.counters) }
            total.datagramsOut += direct.withLock { $0.sent }
            return total
        }
    }

    /// Loopback destinations leave from a loopback listener; others from the
    /// first listener that is not loopback; failing both, the first listener.
    private func listener(toward destination: SocketAddress) -> UDPListener? {
        guard listeners.count > 1 else { return listeners.first }
        guard let local = Self.choose(listeners.map(\.local), toward: destination) else { return nil }
        return listeners.first { $0.local == local }
    }

    static func choose(_ locals: [SocketAddress], toward destination: SocketAddress) -> SocketAddress? {
        guard locals.count > 1 else { return locals.first }
        if let exact = locals.first(where: { $0.hasSameHost(as: destination) }) { return exact }
        if destination.isLoopback, let loop = locals.first(where: { $0.isLoopback }) { return loop }
        return locals.first(where: { !$0.isLoopback }) ?? locals.first
    }
}

extension TransportStatistics {
    mutating func add(datagramCountersOf other: TransportStatistics) {
        datagramsIn += other.datagramsIn
        datagramsOut += other.datagramsOut
        dropped += other.dropped
        parseErrors += other.parseErrors
        statelessReplies += other.statelessReplies
        keepAlivePings += other.keepAlivePings
        stunBindingRequests += other.stunBindingRequests
        stunDropped += other.stunDropped
        sendFailures += other.sendFailures
    }
}

extension SocketAddress {
    /// 127.0.0.0/8 or ::1.
    var isLoopback: Bool {
        if family == .ipv4 { return self[byte: 0] == 127 }
        return (0..<15).allSatisfy { self[byte: $0] == 0 } && self[byte: 15] == 1
    }

    /// 0.0.0.0 or ::.
    var isWildcard: Bool { isUnspecified }
}
