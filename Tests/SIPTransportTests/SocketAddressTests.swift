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

    @Test(
        "RFC 3261 18.2.1: the IPv4 text put in `received` is the dotted quad inet_pton reads back, every octet width",
        arguments: ["0.0.0.0", "127.0.0.1", "10.20.30.40", "192.168.100.255", "255.255.255.255", "9.99.100.1"])
    func ipv4Text(_ text: String) throws {
        let address = try #require(SocketAddress(ip: text, port: 5060))
        #expect(address.ip == text)
        #expect(address.description == "\(text):5060")
        #expect(SocketAddress(ip: address.ip, port: 1)?.addressBytes == address.addressBytes)
    }

    @Test("RFC 5952 4: IPv6 text is the compressed lower-case form")
    func ipv6Text() throws {
        let address = try #require(SocketAddress(ip: "2001:DB8:0:0:0:0:0:1", port: 5061))
        #expect(address.ip == "2001:db8::1")
    }
}
