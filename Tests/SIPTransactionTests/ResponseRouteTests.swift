import Foundation
import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@Suite("Response routing")
struct ResponseRouteTests {
    func route(_ via: String, transport: TransportProtocol = .udp, source: SocketAddress, connection: ConnectionID? = nil) -> OutboundTarget {
        var text = Msg.request("OPTIONS")
        text = text.replacingOccurrences(of: "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-alice-1", with: "Via: \(via)")
        return ResponseRoute.target(for: Peer.inbound(text, transport: transport, source: source, connection: connection))
    }

    let source = SocketAddress(ip: "203.0.113.5", port: 40_000)!

    @Test("18.2.2: over a reliable transport the response goes back on the request's connection")
    func reliable() {
        let target = route("SIP/2.0/TCP pbx.example.com:5070;branch=z9hG4bK1", transport: .tcp, source: source, connection: ConnectionID(rawValue: 9))
        #expect(target == OutboundTarget(transport: .tcp, address: source, connection: ConnectionID(rawValue: 9)))
    }

    @Test("18.2.2: over UDP without rport: the source address (what received says), the sent-by port")
    func sentByPort() {
        let target = route("SIP/2.0/UDP pbx.example.com:5070;branch=z9hG4bK1", source: source)
        #expect(target == OutboundTarget(transport: .udp, address: SocketAddress(ip: "203.0.113.5", port: 5070)!))
    }

    @Test("18.2.2 / 19.1.2: without a sent-by port, 5060 (5061 for TLS without its connection)")
    func defaultPort() {
        #expect(route("SIP/2.0/UDP pbx.example.com;branch=z9hG4bK1", source: source).address.port == 5060)
        let tls = route("SIP/2.0/TLS pbx.example.com;branch=z9hG4bK1", transport: .tls, source: source)
        #expect(tls == OutboundTarget(transport: .tls, address: SocketAddress(ip: "203.0.113.5", port: 5061)!))
    }

    @Test("18.2.2: the received parameter gives the address")
    func received() {
        let target = route("SIP/2.0/UDP pbx.example.com:5070;branch=z9hG4bK1;received=198.51.100.7", source: source)
        #expect(target.address == SocketAddress(ip: "198.51.100.7", port: 5070))
    }

    @Test("RFC 3581 4: rport without a value sends to the source port; with a value, to that port")
    func rport() {
        #expect(route("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;rport", source: source).address == source)
        let filled = route("SIP/2.0/UDP 10.0.0.5:5060;branch=z9hG4bK1;received=203.0.113.5;rport=40002", source: source)
        #expect(filled.address == SocketAddress(ip: "203.0.113.5", port: 40_002))
    }

    @Test("18.2.2: maddr sends to that address over UDP, on the sent-by port")
    func maddr() {
        let target = route("SIP/2.0/UDP pbx.example.com:5070;branch=z9hG4bK1;maddr=239.255.255.1;ttl=16", source: source)
        #expect(target == OutboundTarget(transport: .udp, address: SocketAddress(ip: "239.255.255.1", port: 5070)!))
    }

    @Test("18.2.2 with RFC 5118 IPv6: bracketed sent-by and received, rport")
    func ipv6() {
        let v6 = SocketAddress(ip: "2001:db8::10", port: 40_001)!
        #expect(route("SIP/2.0/UDP [2001:db8::10]:5062;branch=z9hG4bK1;rport", source: v6).address == v6)
        let received = route("SIP/2.0/UDP [2001:db8::10]:5062;branch=z9hG4bK1;received=[2001:db8::99]", source: v6)
        #expect(received.address == SocketAddress(ip: "2001:db8::99", port: 5062))
        #expect(route("SIP/2.0/UDP [2001:db8::10];branch=z9hG4bK1", source: v6).address == SocketAddress(ip: "2001:db8::10", port: 5060))
    }
}
