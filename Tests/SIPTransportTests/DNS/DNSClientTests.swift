#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization
import Testing

@testable import SIPTransport

/// Runs `client.query` on another thread while the test plays the nameserver.
private final class PendingQuery: Sendable {
    private let result = Mutex<Result<DNSMessage, DNSError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ client: DNSClient, _ name: String, _ type: DNSRecordType) {
        DispatchQueue.global().async { [self] in
            let r = Result { () throws(DNSError) -> DNSMessage in try client.query(name, type: type) }
            result.withLock { $0 = r }
            done.signal()
        }
    }

    /// The outcome, or nil if the client has not returned by the deadline.
    func outcome() -> Result<DNSMessage, DNSError>? {
        _ = done.wait(timeout: .now() + deadline)
        return result.withLock { $0 }
    }
}

/// Receives one datagram on `peer` with its source, within the deadline.
private func receiveQuery(_ peer: UDPPeer) throws -> (message: DNSMessage, bytes: [UInt8], source: SocketAddress)? {
    guard poll(peer.fd) else { return nil }
    var buffer = [UInt8](repeating: 0, count: 2048)
    guard let r = try buffer.withUnsafeMutableBytes({ try Syscall.recvfrom(peer.fd, into: $0) }) else { return nil }
    let bytes = Array(buffer.prefix(r.count))
    return (try DNSMessage(parsing: bytes), bytes, r.source)
}

/// A response echoing `query`'s header and question with new flags and an answer section.
private func response(to query: [UInt8], id: UInt16? = nil, flags: UInt16, answers: [(type: UInt16, rdata: [UInt8])] = []) -> [UInt8] {
    var bytes = query
    let id = id ?? (UInt16(query[0]) << 8 | UInt16(query[1]))
    bytes[0] = UInt8(id >> 8); bytes[1] = UInt8(id & 0xFF)
    bytes[2] = UInt8(flags >> 8); bytes[3] = UInt8(flags & 0xFF)
    bytes[7] = UInt8(answers.count)
    for answer in answers {
        bytes += [0xC0, 12, UInt8(answer.type >> 8), UInt8(answer.type & 0xFF), 0, 1, 0, 0, 0, 60, 0, UInt8(answer.rdata.count)]
        bytes += answer.rdata
    }
    return bytes
}

@Suite("DNS client over UDP")
struct DNSClientTests {
    @Test("RFC 1035 4.2.1, 7.3: responses with another ID or unreadable bytes are skipped; the matching one is taken")
    func matchesResponseID() throws {
        let server = try UDPPeer()
        let pending = PendingQuery(DNSClient(nameserver: server.local, timeoutMilliseconds: 10_000, attempts: 1), "sbc1.carrier.test", .a)
        let query = try #require(try receiveQuery(server))
        #expect(query.message.questions == [DNSQuestion(name: "sbc1.carrier.test", type: 1)])
        #expect(query.message.recursionDesired)
        try server.send(response(to: query.bytes, id: query.message.id &+ 1, flags: 0x8180, answers: [(1, [192, 0, 2, 66])]), to: query.source)
        try server.send([0xFF, 0x00, 0x01], to: query.source)
        try server.send(response(to: query.bytes, flags: 0x8180, answers: [(1, [192, 0, 2, 1])]), to: query.source)
        let answer = try #require(pending.outcome()).get()
        #expect(answer.answers.map(\.data) == [.a(SocketAddress(ip: "192.0.2.1", port: 0)!)])
    }

    @Test("RFC 1035 4.1.1: RCODE 3 is NXDOMAIN, RCODE 2 is SERVFAIL, others keep their code")
    func responseCodes() throws {
        for (flags, expected) in [(UInt16(0x8183), DNSError.nameError), (0x8182, .serverFailure), (0x8385, .responseCode(5))] {
            let server = try UDPPeer()
            let pending = PendingQuery(DNSClient(nameserver: server.local, timeoutMilliseconds: 10_000, attempts: 1), "carrier.test", .naptr)
            let query = try #require(try receiveQuery(server))
            try server.send(response(to: query.bytes, flags: flags), to: query.source)
            let outcome = try #require(pending.outcome())
            #expect(throws: expected) { try outcome.get() }
        }
    }

    @Test("RFC 1035 4.2.2, RFC 7766: a truncated UDP answer is asked again over TCP on the same port")
    func truncatedFallsBackToTCP() throws {
        let server = try UDPPeer()
        let listener = try Syscall.socket(family: .ipv4, kind: .stream)
        defer { Syscall.close(listener) }
        try Syscall.bind(listener, to: server.local)
        try Syscall.listen(listener, backlog: 4)
        let pending = PendingQuery(DNSClient(nameserver: server.local, timeoutMilliseconds: 10_000, attempts: 1), "carrier.test", .srv)
        let query = try #require(try receiveQuery(server))
        try server.send(response(to: query.bytes, flags: 0x8380), to: query.source)

        #expect(poll(listener))
        let connection = try #require(try Syscall.accept(listener))
        defer { Syscall.close(connection.fd) }
        var framed: [UInt8] = []
        while framed.count < 2 || framed.count < 2 + (Int(framed[0]) << 8 | Int(framed[1])) {
            guard poll(connection.fd) else { break }
            var chunk = [UInt8](repeating: 0, count: 512)
            let n = recv(connection.fd, &chunk, chunk.count, 0)
            guard n > 0 else { break }
            framed += chunk.prefix(n)
        }
        let tcpQuery = Array(framed.dropFirst(2))
        #expect(try DNSMessage(parsing: tcpQuery).questions == [DNSQuestion(name: "carrier.test", type: 33)])
        let answer = response(to: tcpQuery, flags: 0x8180, answers: [(33, [0, 10, 0, 5, 0x13, 0xC4, 3] + Array("sbc".utf8) + [0xC0, 12])])
        _ = send(connection.fd, [UInt8(answer.count >> 8), UInt8(answer.count & 0xFF)] + answer, answer.count + 2, 0)

        let message = try #require(pending.outcome()).get()
        #expect(message.answers.map(\.data) == [.srv(priority: 10, weight: 5, port: 5060, target: "sbc.carrier.test")])
    }

    @Test("RFC 1035 4.2.1: a silent server gets the query and one retry with a new ID, then the client reports a timeout")
    func timeoutAfterRetry() throws {
        let server = try UDPPeer()
        let client = DNSClient(nameserver: server.local, timeoutMilliseconds: 100, attempts: 2)
        #expect(throws: DNSError.timeout) { try client.query("carrier.test", type: .srv) }
        let first = try #require(try receiveQuery(server))
        let second = try #require(try receiveQuery(server))
        #expect(first.message.questions == second.message.questions)
        #expect(first.message.id != second.message.id)
    }

    @Test("RFC 1035 4.1.4: a name that cannot be encoded fails before anything is sent")
    func invalidName() throws {
        let server = try UDPPeer()
        let client = DNSClient(nameserver: server.local, timeoutMilliseconds: 100, attempts: 1)
        #expect(throws: DNSError.invalidName("bad..name")) { try client.query("bad..name", type: .a) }
    }
}
