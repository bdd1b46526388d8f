#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Logging
import SIPCore

/// One UDP socket: receives datagrams in `recvmmsg` batches on its receiver
/// threads (`UDPReceivers`), answers CRLF and STUN keep-alives and unusable
/// requests itself, and sends queued datagrams in `sendmmsg` batches.
///
/// Confined to the serial queue it is created with (its family's queue in
/// `UDPEndpoints`); every method must be called there, except `receive`,
/// which runs on the receivers' threads and touches only immutable state.
final class UDPListener: @unchecked Sendable {
    let listen: ListenAddress
    /// The bound address (the system's port when `listen` asked for port 0).
    let local: SocketAddress
    /// Also used by `UDPEndpoints` for direct sends, under its lock.
    let fd: Int32
    private let queue: DispatchQueue
    private let context: DeliveryContext
    private let buffers: DatagramBuffers
    private let sources: SocketSources
    private var pending: [OutgoingDatagram] = []
    private var flushScheduled = false
    private var closing = false
    private var receivers: UDPReceivers?
    /// The counters of datagrams sent from the queue (receivers keep their own).
    private var sendCounters = TransportStatistics()

    private static let ping: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A]
    private static let pong: [UInt8] = [0x0D, 0x0A]

    /// Opens and binds the socket; `start()` begins reading.
    init(listen: ListenAddress, queue: DispatchQueue, context: DeliveryContext) throws(IOError) {
        let config = context.configuration
        let fd = try Syscall.socket(family: listen.address.family, kind: .datagram)
        do throws(IOError) {
            try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            if config.reusePort { try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEPORT, value: 1) }
            if listen.address.family == .ipv6 { try Syscall.setOption(fd, level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, value: 1) }
            if config.datagramSocketBufferSize > 0 {
                // The kernel caps these at rmem_max/wmem_max; a smaller buffer is not an error.
                try? Syscall.setOption(fd, level: SOL_SOCKET, name: SO_RCVBUF, value: config.datagramSocketBufferSize)
                try? Syscall.setOption(fd, level: SOL_SOCKET, name: SO_SNDBUF, value: config.datagramSocketBufferSize)
            }
            try Syscall.bind(fd, to: listen.address)
            local = try Syscall.localAddress(fd)
            // Receivers block in recvmmsg; sends pass MSG_DONTWAIT. The timeout
            // only bounds how long a receiver can miss a stop request.
            try Syscall.setBlocking(fd, receiveTimeout: 1)
        } catch {
            Syscall.close(fd)
            throw error
        }
        self.fd = fd
        self.listen = listen
        self.queue = queue
        self.context = context
        // Only the send side: the receivers have buffers of their own.
        buffers = DatagramBuffers(sendingOnly: config.datagramBatchSize)
        sources = SocketSources(fd: fd, queue: queue)
    }

    /// Starts the receivers.
    func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard receivers == nil, !closing else { return }
        receivers = UDPReceivers(
            fd: fd, count: context.configuration.datagramReceivers, batchSize: context.configuration.datagramBatchSize,
            name: "sb-udp-\(local.port)", turns: context.receiverTurns, logger: context.logger
        ) { [self] bytes, source, counters in
            receive(bytes, from: source, counters: &counters)
        }
    }

    /// The datagram counters of this socket: its receivers' and its own sends.
    var counters: TransportStatistics {
        var total = sendCounters
        if let receivers { total.add(datagramCountersOf: receivers.statistics) }
        return total
    }

    /// Stops the receivers, then cancels the sources; the descriptor is closed
    /// in the last cancel handler, then `done` runs.
    func close(done: @escaping () -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !closing else { return }
        closing = true
        pending.removeAll()
        let finish = { [self] in
            sources.close { [self] in
                context.logger.info("listener closed", metadata: ["listen": "\(listen)", "local": "\(local)"])
                done()
            }
        }
        guard let receivers else { return finish() }
        nonisolated(unsafe) let closeSources = finish
        receivers.stop(notifying: queue) { closeSources() }
    }

    // MARK: receive

    /// Runs on a receiver's thread: answers keep-alives, STUN and unusable
    /// requests, hands every other message to the layer above.
    private func receive(_ bytes: [UInt8], from source: SocketAddress, counters: inout TransportStatistics) {
        if bytes.first == 0x0D || bytes.first == 0x0A, bytes.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) {
            // RFC 5626 4.4.1 keep-alive: answer a ping, ignore a pong.
            if bytes == Self.ping {
                counters.keepAlivePings += 1
                reply(Self.pong, to: source)
            }
            return
        }
        if STUNMessage.isCandidate(bytes) {
            // RFC 5626 8: a STUN keep-alive on the SIP port, never handed to the SIP parser.
            switch STUNKeepAlive.answer(bytes, from: source) {
            case .reply(let response):
                counters.stunBindingRequests += 1
                reply(response, to: source)
            case .drop(let reason):
                counters.stunDropped += 1
                context.logger.debug("STUN message dropped", metadata: ["source": "\(source)", "cause": "\(reason)"])
            }
            return
        }
        let outcome = TransportReception.receive(
            bytes, framing: .datagram, transport: .udp, source: source, limits: context.configuration.parserLimits)
        switch outcome {
        case .deliver(let message, _):
            context.onMessage(InboundMessage(message: message, source: source, local: local, transport: .udp, connection: nil))
        case .reply(let response, let destination, let error):
            counters.parseErrors += 1
            counters.statelessReplies += 1
            context.logger.debug("request rejected", metadata: ["source": "\(source)", "cause": "\(error)"])
            reply(response.serialized(), to: destination)
        case .drop(let error):
            counters.parseErrors += 1
            counters.dropped += 1
            context.logger.debug("message dropped", metadata: ["source": "\(source)", "cause": "\(error)"])
        }
    }

    /// A reply of the transport itself, from a receiver's thread: queued on the listener's queue.
    private func reply(_ bytes: [UInt8], to destination: SocketAddress) {
        queue.async { [self] in enqueue(bytes, to: destination) }
    }

    // MARK: send

    /// Queues a datagram; queued datagrams leave together in one `sendmmsg` call.
    func enqueue(_ bytes: [UInt8], to destination: SocketAddress) {
        #if DEBUG
        dispatchPrecondition(condition: .onQueue(queue))
        #endif
        guard !closing else {
            fail(destination, reason: "listener \(local) closed")
            return
        }
        pending.append(OutgoingDatagram(bytes: bytes, destination: destination))
        guard !flushScheduled, !sources.isWaitingWritable else { return }
        flushScheduled = true
        queue.async { [self] in
            flushScheduled = false
            flush()
        }
    }

    private func flush() {
        guard !closing else { return }
        var sent = 0
        defer { if sent > 0 { pending.removeFirst(sent) } }
        while sent < pending.count {
            let batch = pending[sent..<min(pending.count, sent + buffers.count)]
            do {
                if batch.count == 1 {
                    let d = batch[batch.startIndex]
                    guard try Syscall.sendto(fd, d.bytes, to: d.destination) != nil else { return waitWritable() }
                    sendCounters.datagramsOut += 1
                    sent += 1
                } else {
                    buffers.prepareSend(batch)
                    guard let n = try Syscall.sendmmsg(fd, buffers.sendHeaders, count: batch.count) else { return waitWritable() }
                    sendCounters.datagramsOut += n
                    sent += n
                }
            } catch {
                // The datagram at the head of the batch failed (too large, no route): report it, go on.
                fail(pending[sent].destination, reason: "\(error)")
                sent += 1
            }
        }
        sources.stopWriting()
    }

    private func waitWritable() {
        sources.startWriting { [unowned self] in self.flush() }
    }

    private func fail(_ destination: SocketAddress, reason: String) {
        sendCounters.sendFailures += 1
        context.logger.debug("send failed", metadata: ["target": "udp:\(destination)", "cause": "\(reason)"])
        context.onFailure(TransportFailure(target: OutboundTarget(transport: .udp, address: destination), reason: reason))
    }
}
