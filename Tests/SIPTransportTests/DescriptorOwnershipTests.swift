#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Testing

@testable import SIPTransport

/// A descriptor has one owner and is closed once: a late second close, or a
/// late use, would hit whatever socket the system has given the number to
/// since (the lowest free number goes to the next socket opened).
@Suite("Descriptor ownership")
struct DescriptorOwnershipTests {
    @Test("closing a socket's sources twice closes the descriptor once; a socket opened in between stays open")
    func secondCloseLeavesNumberAlone() throws {
        let queue = DispatchQueue(label: "test.descriptor.sources")
        let fd = try Syscall.socket(family: .ipv4, kind: .datagram)
        let sources = SocketSources(fd: fd, queue: queue)
        let closed = DispatchSemaphore(value: 0)
        queue.sync {
            sources.startReading {}
            sources.close { closed.signal() }
        }
        #expect(closed.wait(timeout: .now() + deadline) == .success)
        #expect(queue.sync { sources.isClosed })

        // Most often the same number as `fd`; a second close would close it
        // (or, when another thread took that number, fail with EBADF, which
        // debug builds stop on).
        let next = try Syscall.socket(family: .ipv4, kind: .datagram)
        defer { Syscall.close(next) }
        queue.sync { sources.close {} }
        queue.sync {}
        #expect(fcntl(next, F_GETFD) != -1)
    }

    @Test("an outbound connection closed before its connect starts never connects its descriptor number")
    func closedBeforeConnectLeavesNumberAlone() throws {
        let peer = try Syscall.socket(family: .ipv4, kind: .stream)
        defer { Syscall.close(peer) }
        try Syscall.bind(peer, to: address("127.0.0.1"))
        try Syscall.listen(peer, backlog: 4)
        let target = OutboundTarget(transport: .tcp, address: try Syscall.localAddress(peer))

        let context = DeliveryContext(
            onMessage: { _ in }, onFailure: { _ in }, configuration: quietConfiguration(), receiverTurns: ReceiverTurns())
        let table = ConnectionTable(context: context)
        guard case .success(let (connection, isNew)) = table.connection(for: target) else {
            Issue.record("no connection made")
            return
        }
        #expect(isNew)
        // A stop reaches the connection's queue before its start does.
        connection.queue.sync { connection.close() }
        #expect(table.connection(connection.id) == nil)

        let next = try Syscall.socket(family: .ipv4, kind: .stream)
        defer { Syscall.close(next) }
        connection.startConnecting()
        connection.queue.sync {}
        // `next` is still a fresh socket: a connect on it would have bound it to a local port.
        #expect(try Syscall.localAddress(next).port == 0)
    }
}
