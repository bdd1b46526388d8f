#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Logging
import SIPCore

/// One TCP (or, through its transform, TLS) connection: a read source, at
/// most one write source (alive only while bytes wait for the socket), a
/// `StreamTransform` between socket and `StreamFramer`, and a queue of
/// plaintext held while an outbound connect is in progress.
///
/// Closed when idle, when a message stays half-received, or when a TLS
/// handshake has not completed in time; the timeouts are the ones in force
/// when the connection was made.
///
/// Confined to its own serial queue; `send` may be called from anywhere.
/// The descriptor is closed only in the last source's cancel handler.
final class TCPConnection: @unchecked Sendable {
    enum State { case connecting, open, closing, closed }

    let id: ConnectionID
    let transport: TransportProtocol
    let peer: SocketAddress
    let role: StreamContext.Role
    let queue: DispatchQueue
    private let fd: Int32
    private let sources: SocketSources
    private let timeouts: StreamTimeouts
    private let context: DeliveryContext
    private let table: ConnectionTable
    private var local: SocketAddress?
    private var state: State
    private var transform: any StreamTransform
    private var framer: StreamFramer
    /// The first bytes of the message being received, to answer a framing error from.
    private var head: [UInt8] = []
    private var outbox: [UInt8] = []
    private var outboxOffset = 0
    private var held: [[UInt8]] = []
    private var lastActivity = DispatchTime.now().uptimeNanoseconds
    /// When the connection became open (accepted, or connected): the handshake timeout counts from here.
    private var openedAt = DispatchTime.now().uptimeNanoseconds
    /// When the first bytes of the message still being received arrived.
    private var partialSince: UInt64?
    private var closingSince: UInt64 = 0
    private var whenClosed: [() -> Void] = []

    private static let pong: [UInt8] = [0x0D, 0x0A]
    private static let headLimit = 4096

    init(
        id: ConnectionID, fd: Int32, transport: TransportProtocol, peer: SocketAddress, role: StreamContext.Role,
        transform: any StreamTransform, timeouts: StreamTimeouts, context: DeliveryContext, table: ConnectionTable
    ) {
        self.id = id
        self.fd = fd
        self.timeouts = timeouts
        self.transport = transport
        self.peer = peer
        self.role = role
        self.transform = transform
        self.context = context
        self.table = table
        framer = StreamFramer(maxMessageSize: context.configuration.maxStreamMessageSize)
        state = role == .accepted ? .open : .connecting
        queue = DispatchQueue(label: "switchboard.transport.\(transport).\(id)")
        sources = SocketSources(fd: fd, queue: queue)
    }

    private var target: OutboundTarget { OutboundTarget(transport: transport, address: peer, connection: id) }

    private var logMetadata: Logger.Metadata {
        ["connection": "\(id)", "peer": "\(transport):\(peer)"]
    }

    // MARK: lifecycle

    /// Starts reading a connection a listener accepted. Does nothing once the
    /// connection is closed (a stop may reach the queue first): its number may
    /// belong to another socket by then.
    func startAccepted() {
        queue.async { [self] in
            guard state == .open else { return }
            local = try? Syscall.localAddress(fd)
            startReading()
            do {
                write(try transform.start())
            } catch {
                abort("\(error)")
            }
        }
    }

    /// Starts connecting; sends wait in `held` until the connection is up.
    /// Does nothing once the connection is closed, as `startAccepted`.
    func startConnecting() {
        queue.async { [self] in
            guard state == .connecting else { return }
            do {
                if try Syscall.connect(fd, to: peer) {
                    connected()
                } else {
                    waitWritable()
                }
            } catch {
                abort("\(error)")
            }
        }
    }

    private func connected() {
        guard state == .connecting else { return }
        state = .open
        local = try? Syscall.localAddress(fd)
        lastActivity = DispatchTime.now().uptimeNanoseconds
        openedAt = lastActivity
        startReading()
        do {
            write(try transform.start())
            let queued = held
            held = []
            for plaintext in queued where state == .open { write(try transform.outbound(plaintext)) }
        } catch {
            abort("\(error)")
        }
    }

    private func startReading() {
        sources.startReading { [unowned self] in self.readable() }
    }

    /// Closes at once: sources cancelled, descriptor closed in the last cancel handler.
    func close(then done: (() -> Void)? = nil) {
        dispatchPrecondition(condition: .onQueue(queue))
        if let done { whenClosed.append(done) }
        guard state != .closed else {
            if sources.isClosed { runClosed() }
            return
        }
        state = .closed
        held = []
        outbox = []
        outboxOffset = 0
        sources.close { [self] in finished() }
    }

    private func finished() {
        context.logger.debug("connection closed", metadata: logMetadata)
        table.remove(id)
        runClosed()
    }

    private func runClosed() {
        let callbacks = whenClosed
        whenClosed = []
        for c in callbacks { c() }
    }

    /// Closes after a failure, reporting it to the layer above.
    private func abort(_ reason: String) {
        guard state != .closed else { return }
        report(reason)
        close()
    }

    /// Closes after the transform failed (a TLS handshake refused, a bad
    /// record), reporting it; what the transform still has for the peer (the
    /// TLS alert that says why) is sent first.
    private func abortSendingAlert(_ reason: String) {
        guard state != .closed else { return }
        report(reason)
        closeAfterFlush()
    }

    private func report(_ reason: String) {
        context.logger.debug("connection failed", metadata: logMetadata.merging(["cause": "\(reason)"]) { $1 })
        table.record { $0.sendFailures += 1 }
        context.onFailure(TransportFailure(target: target, reason: reason))
    }

    /// Sends what is queued, then FIN, then waits (reading and discarding)
    /// for the peer to close, at most `closeLingerTimeout` seconds.
    private func closeAfterFlush() {
        guard state == .open || state == .connecting else { return }
        if state == .connecting { return close() }
        state = .closing
        closingSince = DispatchTime.now().uptimeNanoseconds
        write(transform.close())
        if outboxOffset >= outbox.count { finishWriting() }
    }

    private func finishWriting() {
        do {
            try Syscall.shutdownWrite(fd)
        } catch {
            close()
        }
    }

    /// Called by the layer's sweep timer: closes a connection idle too long,
    /// one whose TLS handshake or half-received message is older than its
    /// timeout, or one that has lingered in closing too long.
    func checkIdle(now: UInt64, linger: UInt64) {
        #if DEBUG
        dispatchPrecondition(condition: .onQueue(queue))
        #endif
        switch state {
        case .closing where now &- closingSince > linger:
            close()
        case .open where !transform.isEstablished && now &- openedAt > timeouts.handshake:
            table.record { $0.connectionsClosedHandshake += 1 }
            abort("handshake not complete after \(timeouts.handshake / 1_000_000) ms")
        case .open where now &- lastActivity > timeouts.idle:
            table.record { $0.connectionsClosedIdle += 1 }
            context.logger.debug("connection idle", metadata: logMetadata)
            closeAfterFlush()
        case .open where partialSince.map { now &- $0 > timeouts.idle } == true:
            // RFC 3261 18.3: a message whose rest never comes (slow or stalled sender) holds the connection no longer than idleness would.
            table.record { $0.connectionsClosedIdle += 1 }
            context.logger.debug("message incomplete too long", metadata: logMetadata)
            closeAfterFlush()
        case .connecting where now &- lastActivity > timeouts.idle:
            abort("connect timed out")
        default:
            break
        }
    }

    // MARK: receive

    private func readable() {
        guard state != .closed else { return }
        for _ in 0..<16 {
            let result = withUnsafeTemporaryAllocation(byteCount: 16_384, alignment: 16) { buffer -> Result<[UInt8]?, IOError> in
                do throws(IOError) {
                    guard let n = try Syscall.read(fd, into: buffer) else { return .success(nil) }
                    return .success([UInt8](UnsafeRawBufferPointer(rebasing: buffer[0..<n])))
                } catch {
                    return .failure(error)
                }
            }
            switch result {
            case .failure(let error):
                if state == .closing { return close() }
                return abort("\(error)")
            case .success(nil):
                return
            case .success(let chunk?):
                if chunk.isEmpty {
                    // The peer closed its side: nothing more will come.
                    return close()
                }
                received(chunk)
                if state == .closed || chunk.count < 16_384 { return }
            }
        }
    }

    private func received(_ wire: [UInt8]) {
        lastActivity = DispatchTime.now().uptimeNanoseconds
        guard state == .open else { return }
        let output: StreamTransformOutput
        do {
            output = try transform.inbound(wire)
        } catch {
            return abortSendingAlert("\(error)")
        }
        write(output.toSend)
        if !output.plaintext.isEmpty { frame(output.plaintext) }
    }

    private func frame(_ plaintext: [UInt8]) {
        framer.append(plaintext)
        var consumed = false
        defer {
            if framer.bufferedCount == 0 {
                partialSince = nil
            } else if consumed || partialSince == nil {
                partialSince = lastActivity
            }
        }
        while state == .open {
            let frame: StreamFramer.Frame?
            do {
                frame = try framer.next()
            } catch {
                updateHead(plaintext)
                return framingFailed(error)
            }
            guard let frame else { break }
            consumed = true
            switch frame {
            case .message(let bytes):
                deliver(bytes)
            case .ping:
                table.record { $0.keepAlivePings += 1 }
                sendNow(Self.pong)
            case .pong:
                break
            }
        }
        updateHead(plaintext)
    }

    /// Keeps the first bytes of the message the framer is waiting on: the
    /// unconsumed bytes are the stream's last ones, so they start either in
    /// `plaintext` or in an earlier chunk whose head is already kept.
    private func updateHead(_ plaintext: [UInt8]) {
        let unconsumed = framer.bufferedCount
        if unconsumed == 0 {
            head = []
        } else if unconsumed <= plaintext.count {
            head = Array(plaintext.suffix(unconsumed).prefix(Self.headLimit))
        } else if head.count < Self.headLimit {
            head += plaintext.prefix(Self.headLimit - head.count)
        }
    }

    private func deliver(_ bytes: [UInt8]) {
        let outcome = TransportReception.receive(
            bytes, framing: .stream, transport: transport, source: peer, limits: context.configuration.parserLimits)
        switch outcome {
        case .deliver(let message, let alias):
            if let alias { table.register(alias: alias, transport: transport, connection: id) }
            let local = self.local ?? peer
            context.onMessage(InboundMessage(message: message, source: peer, local: local, transport: transport, connection: id))
        case .reply(let response, _, let error):
            table.record {
                $0.parseErrors += 1
                $0.statelessReplies += 1
            }
            context.logger.debug("request rejected", metadata: logMetadata.merging(["cause": "\(error)"]) { $1 })
            sendNow(response.serialized())
        case .drop(let error):
            table.record {
                $0.parseErrors += 1
                $0.dropped += 1
            }
            context.logger.debug("message dropped", metadata: logMetadata.merging(["cause": "\(error)"]) { $1 })
        }
    }

    /// The stream cannot be cut into messages any more (RFC 3261 18.3): answer
    /// from what arrived of the message when possible, then close.
    private func framingFailed(_ error: SIPParseError) {
        table.record { $0.parseErrors += 1 }
        context.logger.info("stream framing failed", metadata: logMetadata.merging(["cause": "\(error)"]) { $1 })
        if case .reply(let response, _, _) = TransportReception.reject(salvaging: head[...], error: error, transport: transport, source: peer) {
            table.record { $0.statelessReplies += 1 }
            sendNow(response.serialized())
        }
        head = []
        closeAfterFlush()
    }

    // MARK: send

    /// Sends one message (or keep-alive); from any queue.
    func send(_ plaintext: [UInt8]) {
        queue.async { [self] in
            switch state {
            case .connecting:
                held.append(plaintext)
            case .open:
                sendNow(plaintext)
            case .closing, .closed:
                table.record { $0.sendFailures += 1 }
                context.onFailure(TransportFailure(target: target, reason: "connection \(id) closed"))
            }
        }
    }

    private func sendNow(_ plaintext: [UInt8]) {
        do {
            write(try transform.outbound(plaintext))
        } catch {
            abort("\(error)")
        }
    }

    private func write(_ wire: [UInt8]) {
        guard !wire.isEmpty, state == .open || state == .closing else { return }
        if outboxOffset < outbox.count {
            outbox += wire
            return
        }
        let result = wire.withUnsafeBytes { b in Result { () throws(IOError) -> Int? in try Syscall.write(fd, b) } }
        switch result {
        case .failure(let error):
            abort("\(error)")
        case .success(let n):
            let written = n ?? 0
            lastActivity = DispatchTime.now().uptimeNanoseconds
            if written < wire.count {
                outbox = Array(wire[written...])
                outboxOffset = 0
                waitWritable()
            }
        }
    }

    private func waitWritable() {
        sources.startWriting { [unowned self] in self.writable() }
    }

    private func writable() {
        if state == .connecting {
            sources.stopWriting()
            let error = (try? Syscall.pendingError(fd)) ?? EBADF
            if error != 0 { return abort("\(IOError(syscall: "connect", errno: error))") }
            return connected()
        }
        while outboxOffset < outbox.count {
            let result = outbox.withUnsafeBytes { b in
                Result { () throws(IOError) -> Int? in try Syscall.write(fd, UnsafeRawBufferPointer(rebasing: b[outboxOffset...])) }
            }
            switch result {
            case .failure(let error):
                return state == .closing ? close() : abort("\(error)")
            case .success(nil):
                return
            case .success(let n?):
                outboxOffset += n
                lastActivity = DispatchTime.now().uptimeNanoseconds
            }
        }
        outbox = []
        outboxOffset = 0
        sources.stopWriting()
        if state == .closing { finishWriting() }
    }
}
