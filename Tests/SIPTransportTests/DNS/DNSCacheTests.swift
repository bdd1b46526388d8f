import Synchronization
import Testing

@testable import SIPTransport

@Suite("DNS cache")
struct DNSCacheTests {
    private final class Clock: Sendable {
        let nanoseconds = Mutex<UInt64>(0)
        func advance(seconds: UInt64) { nanoseconds.withLock { $0 += seconds * 1_000_000_000 } }
    }

    private func answer(_ name: String, ttl: UInt32) -> DNSMessage {
        DNSMessage(id: 1, flags: 0x8180, questions: [DNSQuestion(name: name, type: 1)],
                   answers: [DNSResourceRecord(name: name, type: 1, ttl: ttl, data: .a(SocketAddress(ip: "192.0.2.1", port: 0)!))])
    }

    private func nxdomain(_ name: String, soaTTL: UInt32?, minimum: UInt32 = 3600) -> DNSMessage {
        let soa = soaTTL.map {
            [DNSResourceRecord(name: "example.net", type: 6, ttl: $0, data: .soa(
                primary: "ns.example.net", mailbox: "hostmaster.example.net", serial: 1, refresh: 1200, retry: 120, expire: 1_209_600, minimum: minimum))]
        } ?? []
        return DNSMessage(id: 1, flags: 0x8183, questions: [DNSQuestion(name: name, type: 1)], authorities: soa)
    }

    @Test("RFC 1035 7.4: a record is kept for its TTL, names compare without case or trailing dot; TTL 0 is not kept")
    func positive() throws {
        let clock = Clock()
        let cache = DNSCache(clock: { clock.nanoseconds.withLock { $0 } })
        cache.store(answer("sbc.example.net", ttl: 60), for: "sbc.example.net", type: .a)
        cache.store(answer("zero.example.net", ttl: 0), for: "zero.example.net", type: .a)
        #expect(try cache.answer("SBC.example.net.", .a)?.get().count == 1)
        #expect(cache.answer("sbc.example.net", .aaaa) == nil)
        #expect(cache.answer("zero.example.net", .a) == nil)
        clock.advance(seconds: 60)
        #expect(cache.answer("sbc.example.net", .a) == nil)
    }

    @Test("RFC 2308 5: NXDOMAIN is kept for min(SOA TTL, SOA minimum), and not at all without an SOA")
    func negative() {
        let clock = Clock()
        let cache = DNSCache(clock: { clock.nanoseconds.withLock { $0 } })
        #expect(cache.store(nxdomain("gone.example.net", soaTTL: 900, minimum: 30), for: "gone.example.net", type: .a) == .failure(.nameError))
        cache.store(nxdomain("bare.example.net", soaTTL: nil), for: "bare.example.net", type: .a)
        #expect(cache.answer("gone.example.net", .a) == .failure(.nameError))
        #expect(cache.answer("bare.example.net", .a) == nil)
        clock.advance(seconds: 30)
        #expect(cache.answer("gone.example.net", .a) == nil)
    }

    @Test("Bounded: a full cache drops expired entries, then those closest to expiring")
    func bounded() {
        let clock = Clock()
        let cache = DNSCache(capacity: 8, clock: { clock.nanoseconds.withLock { $0 } })
        for i in 0..<20 { cache.store(answer("h\(i).example.net", ttl: UInt32(100 + i)), for: "h\(i).example.net", type: .a) }
        #expect(cache.count <= 8)
        #expect(cache.statistics.evictions >= 12)
        #expect(cache.answer("h19.example.net", .a) != nil)
        #expect(cache.answer("h0.example.net", .a) == nil)
    }
}
