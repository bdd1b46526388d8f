#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Dispatch
import Logging

/// A listening TCP socket (TLS too: the connection's transform makes the
/// difference). Accepts until the backlog is empty each time it is readable;
/// beyond the connection limit an accepted socket is closed at once.
///
/// Confined to its own serial queue.
final class TCPListener: @unchecked Sendable {
    let listen: ListenAddress
    let local: SocketAddress
    let queue: DispatchQueue
    private let fd: Int32
    private let context: DeliveryContext
    private let table: ConnectionTable
    private let sources: SocketSources
    private var closing = false

    init(listen: ListenAddress, context: DeliveryContext, table: ConnectionTable) throws(IOError) {
        let fd = try Syscall.socket(family: listen.address.family, kind: .stream)
        do throws(IOError) {
            try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            if context.configuration.reusePort { try Syscall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEPORT, value: 1) }
            if listen.address.family == .ipv6 { try Syscall.setOption(fd, level: Int32(IPPROTO_IPV6), name: IPV6_V6ONLY, value: 1) }
            try Syscall.bind(fd, to: listen.address)
            try Syscall.listen(fd, backlog: context.configuration.listenBacklog)
            local = try Syscall.localAddress(fd)
        } catch {
            Syscall.close(fd)
            throw error
        }
        self.fd = fd
        self.listen = listen
        self.context = context
        self.table = table
        queue = DispatchQueue(label: "switchboard.transport.\(listen.transport).listener")
        sources = SocketSources(fd: fd, queue: queue)
    }

    func start() {
        queue.sync {
            sources.startReading { [unowned self] in self.acceptable() }
        }
    }

    /// Stops accepting; the descriptor closes in the cancel handler, then `done` runs.
    func close(done: @escaping @Sendable () -> Void) {
        queue.async { [self] in
            guard !closing else { return done() }
            closing = true
            sources.close { [self] in
                context.logger.info("listener closed", metadata: ["listen": "\(listen)", "local": "\(local)"])
                done()
            }
        }
    }

    private func acceptable() {
        guard !closing else { return }
        for _ in 0..<256 {
            let accepted: (fd: Int32, peer: SocketAddress)?
            do {
                accepted = try Syscall.accept(fd)
            } catch {
                // EMFILE, ECONNABORTED and friends: log and try again on the next event.
                context.logger.warning("accept failed", metadata: ["listen": "\(listen)", "error": "\(error)"])
                return
            }
            guard let accepted else { return }
            guard let connection = table.admit(fd: accepted.fd, peer: accepted.peer, local: local, transport: listen.transport) else {
                Syscall.close(accepted.fd)
                continue
            }
            connection.startAccepted()
        }
    }
}
