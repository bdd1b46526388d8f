#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Logging
import SIPTransport

/// The Unix-domain socket `switchboard ctl` talks to: one request line per
/// connection, answered with one response, then the connection is closed.
///
/// Everything runs on one serial queue with Dispatch read sources; each
/// descriptor is closed only in its source's cancel handler. The socket file
/// is created by `start()` (replacing a stale one left by a server that did
/// not exit cleanly) and removed by `stop()`.
public final class ControlServer: @unchecked Sendable {
    /// Answers one request line; calls `reply` once, on any queue.
    public typealias Handler = @Sendable (_ line: String, _ reply: @escaping @Sendable (String) -> Void) -> Void

    public let path: String
    private let handler: Handler
    private let logger: Logger
    private let queue = DispatchQueue(label: "switchboard.control")
    /// Queue-confined state.
    private var listener: (any DispatchSourceRead)?
    private var socketIdentity: (device: UInt64, inode: UInt64)?
    private var clients: [Int32: Client] = [:]

    /// Longest request line accepted; longer requests are answered with an error.
    static let maxRequestLength = 4096

    /// One connected `ctl`, confined to the control queue.
    private final class Client: @unchecked Sendable {
        let source: any DispatchSourceRead
        var received: [UInt8] = []
        var answering = false

        init(source: any DispatchSourceRead) {
            self.source = source
        }
    }

    public init(path: String, logger: Logger, handler: @escaping Handler) {
        self.path = path
        self.logger = logger
        self.handler = handler
    }

    /// Creates the socket file and starts accepting.
    public func start() throws(ControlSocketError) {
        try queue.sync { Result { () throws(ControlSocketError) in try openSocket() } }.get()
    }

    private func openSocket() throws(ControlSocketError) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard listener == nil else { return }
        try removeStaleSocket()
        let fd: Int32
        do throws(IOError) {
            fd = try ControlSyscall.socket()
        } catch {
            throw ControlSocketError(path: path, reason: error.description)
        }
        do throws(IOError) {
            try ControlSyscall.bind(fd, path: path)
            // Only this user may talk to the server: the socket can reload it.
            try ControlSyscall.setOwnerOnly(path)
            try ControlSyscall.listen(fd, backlog: 16)
            if let status = try ControlSyscall.fileStatus(path) { socketIdentity = (status.device, status.inode) }
        } catch {
            ControlSyscall.close(fd)
            throw ControlSocketError(path: path, reason: error.description)
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.acceptAll(fd) }
        source.setCancelHandler { ControlSyscall.close(fd) }
        source.resume()
        listener = source
    }

    /// Stops accepting, closes open requests and removes the socket file (if it is still ours).
    public func stop() {
        queue.sync {
            guard let listener else { return }
            listener.cancel()
            self.listener = nil
            for client in clients.values {
                if client.answering { client.source.resume() }
                client.source.cancel()
            }
            clients = [:]
            if let socketIdentity, let status = try? ControlSyscall.fileStatus(path),
                status.device == socketIdentity.device, status.inode == socketIdentity.inode
            {
                try? ControlSyscall.unlink(path)
            }
            socketIdentity = nil
        }
    }

    /// A socket file at `path` with no server behind it is removed; a live
    /// server's socket or any other file is an error.
    private func removeStaleSocket() throws(ControlSocketError) {
        let status: (isSocket: Bool, device: UInt64, inode: UInt64)?
        do throws(IOError) {
            status = try ControlSyscall.fileStatus(path)
        } catch {
            throw ControlSocketError(path: path, reason: error.description)
        }
        guard let status else { return }
        guard status.isSocket else { throw ControlSocketError(path: path, reason: "exists and is not a socket") }
        do throws(IOError) {
            let probe = try ControlSyscall.socket(blocking: true)
            defer { ControlSyscall.close(probe) }
            do throws(IOError) {
                try ControlSyscall.connect(probe, path: path)
            } catch where error.errno == ECONNREFUSED {
                logger.notice("replacing stale control socket", metadata: ["socket": "\(path)"])
                try ControlSyscall.unlink(path)
                return
            }
        } catch {
            throw ControlSocketError(path: path, reason: error.description)
        }
        throw ControlSocketError(path: path, reason: "another server is running on it")
    }

    private func acceptAll(_ listenFD: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        while true {
            let fd: Int32
            do throws(IOError) {
                guard let accepted = try ControlSyscall.accept(listenFD) else { return }
                fd = accepted
            } catch {
                logger.warning("control socket accept failed", metadata: ["reason": "\(error)"])
                return
            }
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            let client = Client(source: source)
            clients[fd] = client
            source.setEventHandler { [weak self] in self?.readable(fd, client) }
            source.setCancelHandler { ControlSyscall.close(fd) }
            source.resume()
        }
    }

    private func readable(_ fd: Int32, _ client: Client) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !client.answering else { return }
        var chunk = [UInt8](repeating: 0, count: 1024)
        let count: Int?
        do throws(IOError) {
            count = try ControlSyscall.read(fd, into: &chunk)
        } catch {
            return finish(fd, client)
        }
        guard let count else { return }
        if count == 0 {
            // The peer closed without a complete line: answer what came, if anything.
            guard !client.received.isEmpty else { return finish(fd, client) }
            return answer(fd, client, line: String(decoding: client.received, as: UTF8.self))
        }
        client.received += chunk[0..<count]
        if let newline = client.received.firstIndex(of: UInt8(ascii: "\n")) {
            var line = client.received[..<newline]
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            answer(fd, client, line: String(decoding: line, as: UTF8.self))
        } else if client.received.count > Self.maxRequestLength {
            write("error: request longer than \(Self.maxRequestLength) bytes\n", to: fd)
            finish(fd, client)
        }
    }

    /// Stops reading (the source is suspended until the reply is written) and asks the handler.
    private func answer(_ fd: Int32, _ client: Client, line: String) {
        client.answering = true
        client.source.suspend()
        handler(line) { [self] response in
            queue.async { [self] in
                // `stop()` may have closed the connection meanwhile.
                guard clients[fd] === client else { return }
                write(response, to: fd)
                client.source.resume()
                finish(fd, client)
            }
        }
    }

    private func write(_ response: String, to fd: Int32) {
        do throws(IOError) {
            if try !ControlSyscall.writeAll(fd, Array(response.utf8)) {
                logger.warning("control client is not reading its reply; closing it")
            }
        } catch {
            logger.debug("control reply not written", metadata: ["reason": "\(error)"])
        }
    }

    private func finish(_ fd: Int32, _ client: Client) {
        clients[fd] = nil
        client.source.cancel()
    }
}

/// Why the control socket could not be opened.
public struct ControlSocketError: Error, Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "control socket \(path): \(reason)" }
}
