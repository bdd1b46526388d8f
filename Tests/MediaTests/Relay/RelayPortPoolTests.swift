#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Media

@Suite("Relay port pool")
struct RelayPortPoolTests {
    static let loopback = SocketAddress(ip: "127.0.0.1", port: 0)!

    @Test("RFC 3550 11: RTP on an even port, RTCP on the next odd one, both bound")
    func evenOddPairs() throws {
        let pool = RelayPortPool(range: testPortRange(pairs: 4))
        let now = ContinuousClock.now
        let pair = try pool.allocate(on: Self.loopback, now: now)
        defer {
            pair.closeUnstarted()
            pool.release(pair, at: now)
        }
        #expect(pair.rtp.port % 2 == 0)
        #expect(pair.rtcp.port == pair.rtp.port + 1)
        #expect(pool.range.contains(pair.rtp.port) && pool.range.contains(pair.rtcp.port))
        // Bound: a second bind on the same port fails.
        #expect(throws: MediaIOError.self) { try RelaySyscall.boundDatagramSocket(pair.rtcp, bufferSize: 0) }
    }

    @Test("exhaustion is a typed error; released ports rest in quarantine, then come back")
    func exhaustionAndQuarantine() throws {
        let pool = RelayPortPool(range: testPortRange(pairs: 3), quarantine: .seconds(5))
        #expect(pool.capacity == 3)
        let t0 = ContinuousClock.now
        var pairs: [RelaySocketPair] = []
        while pairs.count < 10, let pair = try? pool.allocate(on: Self.loopback, now: t0) { pairs.append(pair) }
        defer {
            for p in pairs { p.closeUnstarted(); pool.release(p, at: t0) }
        }
        #expect(pairs.count <= 3)
        #expect(throws: RelayPortPoolError.self) { try pool.allocate(on: Self.loopback, now: t0) }

        let freed = pairs.removeFirst()
        freed.closeUnstarted()
        pool.release(freed, at: t0)
        #expect(throws: RelayPortPoolError.self) { try pool.allocate(on: Self.loopback, now: t0 + .seconds(1)) }
        let again = try pool.allocate(on: Self.loopback, now: t0 + .seconds(6))
        #expect(again.rtp == freed.rtp)
        pairs.append(again)
    }

    @Test("a port held by another socket (EADDRINUSE) is skipped, not fatal")
    func skipsPortsInUse() throws {
        let range = testPortRange(pairs: 3)
        let pool = RelayPortPool(range: range)
        // Another program holds the RTCP port of the first pair.
        let blocker = try RelaySyscall.boundDatagramSocket(Self.loopback.with(port: range.lowerBound + 1), bufferSize: 0)
        defer { RelaySyscall.close(blocker) }
        let now = ContinuousClock.now
        let pair = try pool.allocate(on: Self.loopback, now: now)
        #expect(pair.rtp.port == range.lowerBound + 2)
        let last = try pool.allocate(on: Self.loopback, now: now)
        #expect(last.rtp.port == range.lowerBound + 4)
        #expect(throws: RelayPortPoolError.exhausted(skippedInUse: 1)) { try pool.allocate(on: Self.loopback, now: now) }
        for p in [pair, last] { p.closeUnstarted(); pool.release(p, at: now) }
        #expect(pool.allocatedCount == 0)
    }

    @Test("RFC 8866 5.7: pairs bind on IPv6 too")
    func ipv6() throws {
        let pool = RelayPortPool(range: testPortRange(pairs: 2))
        let now = ContinuousClock.now
        let local = SocketAddress(ip: "::1", port: 0)!
        let result = Result { () throws -> RelaySocketPair in try pool.allocate(on: local, now: now) }
        if case .failure(let error) = result, case .bindFailed(let io)? = error as? RelayPortPoolError,
            io.errno == EADDRNOTAVAIL || io.errno == EAFNOSUPPORT
        {
            return  // no IPv6 loopback in this environment
        }
        let pair = try result.get()
        #expect(pair.rtp.isIPv6)
        pair.closeUnstarted()
        pool.release(pair, at: now)
    }
}
