#if canImport(Glibc)
import Glibc
#endif
import Foundation
import SIPCore
import Synchronization
import Testing

@testable import SIPTransport

private let dnsmasqPath = "/usr/sbin/dnsmasq"

/// A dnsmasq serving a small carrier.test zone on 127.0.0.1 and a free
/// port, for as long as the test runs; killed by its PID. The suite runs
/// its tests one at a time, so that no two servers are started and reaped at once.
private final class LocalNameserver {
    let process = Process()
    let address: SocketAddress

    /// `authoritative`: answers carry the zone's SOA (negative answers can be
    /// cached, RFC 2308) and every TTL is `ttl` seconds.
    init(authoritative ttl: Int? = nil) throws {
        // A free port: the probe socket's deinit closes it again, its one owner.
        address = try UDPPeer().local
        process.executableURL = URL(fileURLWithPath: dnsmasqPath)
        process.arguments = [
            "--no-daemon", "--conf-file=/dev/null", "--pid-file=", "--port=\(address.port)", "--listen-address=127.0.0.1",
            "--bind-interfaces", "--no-resolv", "--no-hosts", "--local=/carrier.test/",
            "--naptr-record=carrier.test,10,50,s,SIP+D2U,,_sip._udp.carrier.test",
            "--naptr-record=carrier.test,20,50,s,SIP+D2T,,_sip._tcp.carrier.test",
            "--srv-host=_sip._udp.carrier.test,sbc1.carrier.test,5080,10,60",
            "--host-record=sbc1.carrier.test,127.0.0.1",
        ] + (1...24).map { "--srv-host=_sip._tcp.big.carrier.test,sbc-number-\($0).carrier.test,5060,\($0),10" }
            + (ttl.map { ["--auth-server=ns.carrier.test,127.0.0.1", "--auth-zone=carrier.test", "--auth-ttl=\($0)", "--local-ttl=\($0)"] } ?? [])
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    /// Waits (bounded) until the server answers a query.
    func ready() -> Bool {
        let client = DNSClient(nameserver: address, timeoutMilliseconds: 200, attempts: 1)
        for _ in 0..<50 where process.isRunning {
            if (try? client.query("sbc1.carrier.test", type: .a)) != nil { return true }
            usleep(100_000)
        }
        return false
    }

    /// Kills the server by its PID and waits (bounded) for it to be reaped.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<100 where process.isRunning { usleep(50_000) }
    }
}

/// A clock the test moves by hand.
private final class ManualClock: Sendable {
    private let nanoseconds = Mutex<UInt64>(1_000_000_000)
    var now: UInt64 { nanoseconds.withLock { $0 } }
    func advance(seconds: UInt64) { nanoseconds.withLock { $0 += seconds * 1_000_000_000 } }
}

@Suite("DNS against a real nameserver (dnsmasq)", .serialized)
struct DNSServerInteropTests {
    @Test("RFC 3263 4.1, 4.2, RFC 7766: NAPTR, SRV, A from dnsmasq give the SIP target; NXDOMAIN is typed; a large SRV set comes over TCP",
          .enabled(if: access(dnsmasqPath, X_OK) == 0, "dnsmasq (Debian package dnsmasq-base) is not installed"))
    func resolvesThroughDnsmasq() throws {
        let server = try LocalNameserver()
        defer { server.stop() }
        try #require(server.ready(), "dnsmasq did not answer on \(server.address)")

        let resolver = TargetResolver(nameserver: server.address)
        #expect(try resolver.targets(for: try SIPURI("sip:+15551234567@carrier.test")) == [
            OutboundTarget(transport: .udp, address: SocketAddress(ip: "127.0.0.1", port: 5080)!),
        ])
        #expect(try resolver.targets(for: try SIPURI("sip:bob@sbc1.carrier.test:5070;transport=tcp")) == [
            OutboundTarget(transport: .tcp, address: SocketAddress(ip: "127.0.0.1", port: 5070)!),
        ])

        let client = DNSClient(nameserver: server.address)
        let naptr = try client.lookup("carrier.test", type: .naptr)
        #expect(naptr.map(\.data).contains(.naptr(order: 10, preference: 50, flags: "s", services: "SIP+D2U", regexp: "", replacement: "_sip._udp.carrier.test")))
        #expect(throws: DNSError.nameError) { try client.lookup("missing.carrier.test", type: .a) }
        #expect(throws: ResolutionError.self) { try resolver.targets(for: try SIPURI("sip:bob@missing.carrier.test")) }

        // RFC 1035 4.2.2, RFC 7766: an SRV set too large for 512 bytes comes back over TCP.
        let records = try client.lookup("_sip._tcp.big.carrier.test", type: .srv)
        let priorities = records.compactMap { record -> UInt16? in
            guard case .srv(let priority, _, _, _) = record.data else { return nil }
            return priority
        }
        #expect(priorities.sorted() == Array(1...24))
    }

    @Test("RFC 1035 7.4, RFC 2308 5: answers are cached for their TTL, NXDOMAIN for the SOA's; expired entries are asked again",
          .enabled(if: access(dnsmasqPath, X_OK) == 0, "dnsmasq (Debian package dnsmasq-base) is not installed"))
    func cachesForTheTTL() throws {
        let server = try LocalNameserver(authoritative: 300)
        defer { server.stop() }
        try #require(server.ready(), "dnsmasq did not answer on \(server.address)")
        let clock = ManualClock()
        let cache = DNSCache(capacity: 64, clock: { clock.now })
        let resolver = TargetResolver(nameserver: server.address, cache: cache)
        let uri = try SIPURI("sip:+15551234567@carrier.test")
        let expected = [OutboundTarget(transport: .udp, address: SocketAddress(ip: "127.0.0.1", port: 5080)!)]

        #expect(resolver.cachedTargets(for: uri) == nil)
        #expect(try resolver.targets(for: uri) == expected)
        let asked = cache.statistics.misses
        #expect(asked >= 2)  // NAPTR, SRV, then A/AAAA unless the additional section had them
        #expect(resolver.cachedTargets(for: uri) == .success(expected))
        #expect(try resolver.targets(for: uri) == expected)
        #expect(cache.statistics.misses == asked)

        // RFC 2308: NXDOMAIN carries the zone's SOA, so it is cached too.
        let missing = try SIPURI("sip:bob@missing.carrier.test")
        #expect(throws: ResolutionError.self) { try resolver.targets(for: missing) }
        #expect(resolver.cachedTargets(for: missing).map { (try? $0.get()) == nil } == true)
        let afterMissing = cache.statistics.misses

        clock.advance(seconds: 299)
        #expect(resolver.cachedTargets(for: uri) == .success(expected))
        #expect(resolver.cachedTargets(for: missing) != nil)
        clock.advance(seconds: 2)
        #expect(resolver.cachedTargets(for: uri) == nil)
        #expect(resolver.cachedTargets(for: missing) == nil)
        #expect(try resolver.targets(for: uri) == expected)
        #expect(cache.statistics.misses > afterMissing)
    }

    @Test("RFC 3263 4: resolve() looks a name up off the caller's queue and answers on the queue given",
          .enabled(if: access(dnsmasqPath, X_OK) == 0, "dnsmasq (Debian package dnsmasq-base) is not installed"))
    func resolvesOffTheCallersQueue() throws {
        let server = try LocalNameserver(authoritative: 300)
        defer { server.stop() }
        try #require(server.ready(), "dnsmasq did not answer on \(server.address)")
        let resolver = TargetResolver(nameserver: server.address, cache: DNSCache())
        let shard = DispatchQueue(label: "test.shard")
        let answers = Mutex<[Result<[OutboundTarget], ResolutionError>]>([])
        let done = DispatchSemaphore(value: 0)
        let uri = try SIPURI("sip:+15551234567@carrier.test")
        var asked: [Int] = []
        for _ in 0..<2 {
            resolver.resolve(uri, deliveringOn: shard) { result in
                dispatchPrecondition(condition: .onQueue(shard))
                answers.withLock { $0.append(result) }
                done.signal()
            }
            #expect(done.wait(timeout: .now() + deadline) == .success)
            asked.append(resolver.cache.statistics.misses)
        }
        let expected = [OutboundTarget(transport: .udp, address: SocketAddress(ip: "127.0.0.1", port: 5080)!)]
        #expect(answers.withLock { $0 } == [.success(expected), .success(expected)])
        // The first answer needed the nameserver, the second came from the cache.
        #expect(asked[0] > 0)
        #expect(asked[1] == asked[0])
    }
}
