import SIPCore
import Testing

@testable import SIPTransport

@Suite("RFC 3263 target selection")
struct TargetResolverTests {
    let resolver = TargetResolver(hosts: [
        "Carrier.example.net": [SocketAddress(ip: "192.0.2.10", port: 0)!, SocketAddress(ip: "2001:db8::10", port: 0)!],
        "srv-like.example.net": [SocketAddress(ip: "192.0.2.20", port: 5080)!],
    ])

    func targets(_ uri: String) throws -> [OutboundTarget] { try resolver.targets(for: try SIPURI(uri)) }

    @Test("RFC 3263 4.1/4.2: a numeric host without transport or port is UDP to 5060")
    func numericDefaults() throws {
        #expect(try targets("sip:bob@192.0.2.1") == [OutboundTarget(transport: .udp, address: SocketAddress(ip: "192.0.2.1", port: 5060)!)])
    }

    @Test("RFC 3263 4.1: the transport parameter and the port are used as given")
    func transportParameter() throws {
        let t = try targets("sip:bob@192.0.2.1:5070;transport=TCP")
        #expect(t == [OutboundTarget(transport: .tcp, address: SocketAddress(ip: "192.0.2.1", port: 5070)!)])
    }

    @Test("RFC 3261 26.2.2, RFC 3263 4.2: sips means TLS on 5061, with the name for SNI; sips over UDP is refused")
    func sips() throws {
        let t = try targets("sips:bob@carrier.example.net")
        #expect(t.map(\.transport) == [.tls, .tls])
        #expect(t.map(\.address.port) == [5061, 5061])
        #expect(t.first?.serverName == "carrier.example.net")
        #expect(try targets("sips:bob@192.0.2.1;transport=tcp").first?.transport == .tls)
        #expect(throws: ResolutionError.self) { try targets("sips:bob@192.0.2.1;transport=udp") }
    }

    @Test("RFC 5118: an IPv6 reference host")
    func ipv6() throws {
        let t = try targets("sip:[2001:db8::1]:5080;transport=tcp")
        #expect(t == [OutboundTarget(transport: .tcp, address: SocketAddress(ip: "2001:db8::1", port: 5080)!)])
    }

    @Test("RFC 3263 4: maddr overrides the host")
    func maddr() throws {
        let t = try targets("sip:bob@carrier.example.net;maddr=192.0.2.99")
        #expect(t == [OutboundTarget(transport: .udp, address: SocketAddress(ip: "192.0.2.99", port: 5060)!)])
    }

    @Test("Static host map: names case-insensitively, every address in order, mapped ports when the URI has none")
    func hostMap() throws {
        let t = try targets("sip:+15551234567@CARRIER.example.net;transport=tcp")
        #expect(t.map(\.address.description) == ["192.0.2.10:5060", "[2001:db8::10]:5060"])
        #expect(try targets("sip:x@srv-like.example.net").map(\.address.description) == ["192.0.2.20:5080"])
        #expect(try targets("sip:x@srv-like.example.net:6000").map(\.address.description) == ["192.0.2.20:6000"])
    }

    @Test("Unknown names without DNS, unknown transports and non-SIP URIs are errors")
    func errors() throws {
        #expect(throws: ResolutionError.self) { try targets("sip:bob@unknown.example.org") }
        #expect(throws: ResolutionError.self) { try targets("sip:bob@192.0.2.1;transport=sctp") }
        #expect(throws: ResolutionError.self) { try resolver.targets(for: try SIPURI("tel:+15551234567")) }
    }

    @Test("With the resolver enabled, localhost resolves through the system (A/AAAA)")
    func systemResolver() throws {
        let dns = TargetResolver(resolverEnabled: true)
        let t = try dns.targets(for: try SIPURI("sip:bob@localhost:5070"))
        #expect(!t.isEmpty)
        #expect(t.allSatisfy { $0.address.isLoopback && $0.address.port == 5070 && $0.transport == .udp })
    }
}
