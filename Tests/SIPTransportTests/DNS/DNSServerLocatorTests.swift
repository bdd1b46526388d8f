import Testing

@testable import SIPTransport

/// A zone in memory: what a nameserver would answer, and which questions were asked.
struct FakeZone {
    var records: [DNSResourceRecord] = []
    var failures: [String: DNSError] = [:]
    var asked: [String] = []

    mutating func naptr(_ owner: String, _ order: UInt16, _ preference: UInt16, _ service: String, _ replacement: String, flags: String = "s") {
        records.append(DNSResourceRecord(name: owner, type: 35, ttl: 60, data: .naptr(order: order, preference: preference, flags: flags, services: service, regexp: "", replacement: replacement)))
    }
    mutating func srv(_ owner: String, _ priority: UInt16, _ weight: UInt16, _ port: UInt16, _ target: String) {
        records.append(DNSResourceRecord(name: owner, type: 33, ttl: 60, data: .srv(priority: priority, weight: weight, port: port, target: target)))
    }
    mutating func a(_ owner: String, _ ip: String) {
        let address = SocketAddress(ip: ip, port: 0)!
        records.append(DNSResourceRecord(name: owner, type: address.family == .ipv4 ? 1 : 28, ttl: 60, data: address.family == .ipv4 ? .a(address) : .aaaa(address)))
    }

    /// Answers like a server: records of the owner and type; a CNAME at the
    /// owner comes with the target's records of that type.
    mutating func lookup(_ name: String, _ type: DNSRecordType) throws(DNSError) -> [DNSResourceRecord] {
        asked.append("\(name) \(type)")
        if let failure = failures["\(name) \(type)"] { throw failure }
        var found = records.filter { $0.name == name && $0.type == type.rawValue }
        for record in records where record.name == name {
            if case .cname(let target) = record.data {
                found.append(record)
                found += records.filter { $0.name == target && $0.type == type.rawValue }
            }
        }
        return found
    }

    mutating func targets(_ host: String, port: UInt16? = nil, transport: TransportProtocol? = nil, secure: Bool = false) throws -> [OutboundTarget] {
        try ServerLocator.targets(host: host, port: port, transport: transport, secure: secure) { (name, type) throws(DNSError) in
            try self.lookup(name, type)
        }
    }
}

private func target(_ transport: TransportProtocol, _ ip: String, _ port: UInt16, tlsName: String? = nil) -> OutboundTarget {
    OutboundTarget(transport: transport, address: SocketAddress(ip: ip, port: port)!, serverName: tlsName)
}

@Suite("RFC 3263 4: locating SIP servers with NAPTR, SRV and A/AAAA")
struct DNSServerLocatorTests {
    @Test("RFC 3263 4.1: NAPTR by order then preference, only supported services with the S flag, each through its SRV")
    func naptrOrdering() throws {
        var zone = FakeZone()
        zone.naptr("carrier.test", 20, 10, "SIP+D2U", "_sip._udp.carrier.test")
        zone.naptr("carrier.test", 10, 20, "SIP+D2T", "_sip._tcp.carrier.test")
        zone.naptr("carrier.test", 10, 10, "SIPS+D2T", "_sips._tcp.carrier.test")
        zone.naptr("carrier.test", 1, 1, "SIP+D2S", "_sip._sctp.carrier.test")
        zone.naptr("carrier.test", 1, 1, "E2U+sip", "_sip._udp.carrier.test")
        zone.naptr("carrier.test", 1, 1, "SIP+D2U", "udp.carrier.test", flags: "a")
        zone.srv("_sip._udp.carrier.test", 10, 0, 5060, "udp.carrier.test")
        zone.srv("_sip._tcp.carrier.test", 10, 0, 5060, "tcp.carrier.test")
        zone.srv("_sips._tcp.carrier.test", 10, 0, 5061, "tls.carrier.test")
        zone.srv("_sip._sctp.carrier.test", 10, 0, 5060, "sctp.carrier.test")
        zone.a("udp.carrier.test", "192.0.2.1")
        zone.a("tcp.carrier.test", "192.0.2.2")
        zone.a("tls.carrier.test", "192.0.2.3")
        zone.a("sctp.carrier.test", "192.0.2.4")
        #expect(try zone.targets("carrier.test") == [
            target(.tls, "192.0.2.3", 5061, tlsName: "carrier.test"),
            target(.tcp, "192.0.2.2", 5060),
            target(.udp, "192.0.2.1", 5060),
        ])
    }

    @Test("RFC 3263 4.1: a sips URI uses only SIPS+D2T NAPTR records")
    func sipsNAPTR() throws {
        var zone = FakeZone()
        zone.naptr("carrier.test", 10, 10, "SIP+D2U", "_sip._udp.carrier.test")
        zone.naptr("carrier.test", 20, 10, "SIPS+D2T", "_sips._tcp.carrier.test")
        zone.srv("_sip._udp.carrier.test", 10, 0, 5060, "udp.carrier.test")
        zone.srv("_sips._tcp.carrier.test", 10, 0, 5061, "tls.carrier.test")
        zone.a("udp.carrier.test", "192.0.2.1")
        zone.a("tls.carrier.test", "192.0.2.3")
        #expect(try zone.targets("carrier.test", secure: true) == [target(.tls, "192.0.2.3", 5061, tlsName: "carrier.test")])
    }

    @Test("RFC 3263 4.1, RFC 2782: without NAPTR, SRV for UDP, TCP, TLS; each by priority then weight descending")
    func srvWithoutNAPTR() throws {
        var zone = FakeZone()
        zone.srv("_sip._udp.carrier.test", 20, 100, 5070, "c.carrier.test")
        zone.srv("_sip._udp.carrier.test", 10, 10, 5080, "b.carrier.test")
        zone.srv("_sip._udp.carrier.test", 10, 60, 5090, "a.carrier.test")
        zone.srv("_sip._tcp.carrier.test", 10, 0, 5060, "a.carrier.test")
        zone.a("a.carrier.test", "192.0.2.1")
        zone.a("a.carrier.test", "2001:db8::1")
        zone.a("b.carrier.test", "192.0.2.2")
        zone.a("c.carrier.test", "192.0.2.3")
        #expect(try zone.targets("carrier.test") == [
            target(.udp, "192.0.2.1", 5090), target(.udp, "2001:db8::1", 5090),
            target(.udp, "192.0.2.2", 5080),
            target(.udp, "192.0.2.3", 5070),
            target(.tcp, "192.0.2.1", 5060), target(.tcp, "2001:db8::1", 5060),
        ])
        #expect(zone.asked.filter { !$0.hasSuffix(" a") && !$0.hasSuffix(" aaaa") } == [
            "carrier.test naptr", "_sip._udp.carrier.test srv", "_sip._tcp.carrier.test srv", "_sips._tcp.carrier.test srv",
        ])
    }

    @Test("RFC 3263 4.2: without NAPTR or SRV, A then AAAA on the default port with UDP (TLS for sips)")
    func addressFallback() throws {
        var zone = FakeZone()
        zone.a("carrier.test", "2001:db8::5")
        zone.a("carrier.test", "192.0.2.5")
        #expect(try zone.targets("carrier.test") == [target(.udp, "192.0.2.5", 5060), target(.udp, "2001:db8::5", 5060)])
        #expect(try zone.targets("carrier.test", secure: true) == [
            target(.tls, "192.0.2.5", 5061, tlsName: "carrier.test"), target(.tls, "2001:db8::5", 5061, tlsName: "carrier.test"),
        ])
    }

    @Test("RFC 3263 4.2: an explicit port means A/AAAA only, no NAPTR or SRV")
    func explicitPort() throws {
        var zone = FakeZone()
        zone.naptr("carrier.test", 10, 10, "SIP+D2T", "_sip._tcp.carrier.test")
        zone.srv("_sip._tcp.carrier.test", 10, 0, 5060, "other.carrier.test")
        zone.a("carrier.test", "192.0.2.7")
        #expect(try zone.targets("carrier.test", port: 5090) == [target(.udp, "192.0.2.7", 5090)])
        #expect(try zone.targets("carrier.test", port: 5090, transport: .tcp) == [target(.tcp, "192.0.2.7", 5090)])
        #expect(zone.asked == ["carrier.test a", "carrier.test aaaa", "carrier.test a", "carrier.test aaaa"])
    }

    @Test("RFC 3263 4.2: a transport parameter means that transport's SRV, then A/AAAA on its default port")
    func transportParameter() throws {
        var zone = FakeZone()
        zone.naptr("carrier.test", 10, 10, "SIP+D2U", "_sip._udp.carrier.test")
        zone.srv("_sips._tcp.carrier.test", 10, 0, 5071, "tls.carrier.test")
        zone.a("tls.carrier.test", "192.0.2.3")
        zone.a("carrier.test", "192.0.2.9")
        #expect(try zone.targets("carrier.test", transport: .tls) == [target(.tls, "192.0.2.3", 5071, tlsName: "carrier.test")])
        #expect(zone.asked.first == "_sips._tcp.carrier.test srv")
        #expect(try zone.targets("carrier.test", transport: .tcp) == [target(.tcp, "192.0.2.9", 5060)])
    }

    @Test("RFC 3263 4.2: addresses from the SRV response's additional section save the A/AAAA queries")
    func additionalSection() throws {
        var calls = 0
        let result = try ServerLocator.targets(host: "carrier.test", port: nil, transport: .tcp, secure: false) { (name, type) throws(DNSError) in
            calls += 1
            guard type == .srv, name == "_sip._tcp.carrier.test" else { return [] }
            return [
                DNSResourceRecord(name: name, type: 33, ttl: 60, data: .srv(priority: 1, weight: 1, port: 5062, target: "sbc.carrier.test")),
                DNSResourceRecord(name: "sbc.carrier.test", type: 1, ttl: 60, data: .a(SocketAddress(ip: "192.0.2.44", port: 0)!)),
            ]
        }
        #expect(result == [target(.tcp, "192.0.2.44", 5062)])
        #expect(calls == 1)
    }

    @Test("RFC 1034 3.6.2: an address behind a CNAME is followed")
    func cname() throws {
        var zone = FakeZone()
        zone.records.append(DNSResourceRecord(name: "carrier.test", type: 5, ttl: 60, data: .cname("edge.carrier.test")))
        zone.a("edge.carrier.test", "192.0.2.8")
        #expect(try zone.targets("carrier.test", port: 5060) == [target(.udp, "192.0.2.8", 5060)])
    }

    @Test("RFC 2782: an SRV target of \".\" means no service: no fallback to A records")
    func serviceNotAvailable() throws {
        var zone = FakeZone()
        zone.srv("_sip._tcp.carrier.test", 0, 0, 0, "")
        zone.a("carrier.test", "192.0.2.9")
        #expect(throws: ResolutionError.self) { try zone.targets("carrier.test", transport: .tcp) }
    }

    @Test("RFC 3263 4: NXDOMAIN everywhere is reported; a timeout stops the procedure at once")
    func failures() throws {
        var zone = FakeZone()
        for q in ["carrier.test naptr", "_sip._udp.carrier.test srv", "_sip._tcp.carrier.test srv", "_sips._tcp.carrier.test srv", "carrier.test a", "carrier.test aaaa"] {
            zone.failures[q] = .nameError
        }
        #expect(throws: ResolutionError(reason: "no DNS records for carrier.test: DNS NXDOMAIN")) { try zone.targets("carrier.test") }

        var silent = FakeZone()
        silent.failures["carrier.test naptr"] = .timeout
        #expect(throws: ResolutionError.self) { try silent.targets("carrier.test") }
        #expect(silent.asked == ["carrier.test naptr"])
    }

    @Test("RFC 3263 4.1: a SERVFAIL on NAPTR falls through to SRV")
    func naptrServerFailure() throws {
        var zone = FakeZone()
        zone.failures["carrier.test naptr"] = .serverFailure
        zone.srv("_sip._udp.carrier.test", 10, 0, 5080, "sbc.carrier.test")
        zone.a("sbc.carrier.test", "192.0.2.1")
        #expect(try zone.targets("carrier.test") == [target(.udp, "192.0.2.1", 5080)])
    }
}
