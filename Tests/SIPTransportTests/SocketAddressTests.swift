import Testing

@testable import SIPTransport

@Suite("Socket addresses")
struct SocketAddressTests {
    @Test("IPv4 and IPv6 round-trip through text and sockaddr")
    func roundTrip() throws {
        let v4 = try #require(SocketAddress(ip: "192.0.2.10", port: 5060))
        #expect(v4.description == "192.0.2.10:5060")
        let v6 = try #require(SocketAddress(ip: "2001:db8::1", port: 5061))
        #expect(v6.description == "[2001:db8::1]:5061")
        #expect(v6.hostText == "[2001:db8::1]")
        #expect(SocketAddress(ip: "example.com", port: 1) == nil)
        #expect(TransportProtocol(token: "TLS") == .tls)
    }
}
