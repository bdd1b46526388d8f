#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Media

@Suite("Relay endpoint (inline peer address)")
struct RelayEndpointTests {
    @Test("RFC 791 / RFC 8200: IPv4 and IPv6 addresses survive SocketAddress → endpoint → sockaddr → endpoint → SocketAddress",
          arguments: [("192.0.2.7", UInt16(5004)), ("2001:db8::7", UInt16(40000)), ("::ffff:192.0.2.7", UInt16(1)), ("0.0.0.0", UInt16(9))])
    func roundTrip(ip: String, port: UInt16) throws {
        let address = try #require(SocketAddress(ip: ip, port: port))
        let endpoint = RelayEndpoint(address)
        #expect(endpoint.socketAddress == address)
        #expect(endpoint.port == port)
        #expect(endpoint.isIPv6 == address.isIPv6)
        var storage = sockaddr_storage()
        let length = withUnsafeMutableBytes(of: &storage) { endpoint.write(to: $0.baseAddress!) }
        #expect(Int(length) == (address.isIPv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size))
        let read = try #require(RelayEndpoint(storage: &storage))
        #expect(read == endpoint)
        #expect(SocketAddress(storage: &storage) == address)
    }

    @Test("RFC 3264 8.4: 0.0.0.0 and :: are the unspecified (hold) addresses; ports and families tell endpoints apart")
    func equalityAndHold() {
        let v4 = RelayEndpoint(SocketAddress(ip: "192.0.2.7", port: 5004)!)
        #expect(v4 != RelayEndpoint(SocketAddress(ip: "192.0.2.7", port: 5006)!))
        #expect(v4 != RelayEndpoint(SocketAddress(ip: "192.0.2.8", port: 5004)!))
        #expect(v4 == RelayEndpoint(SocketAddress(ip: "192.0.2.7", port: 5004)!))
        #expect(RelayEndpoint(SocketAddress(ip: "0.0.0.0", port: 5004)!).isUnspecified)
        #expect(RelayEndpoint(SocketAddress(ip: "::", port: 5004)!).isUnspecified)
        #expect(!v4.isUnspecified)
        #expect(RelayEndpoint(SocketAddress(ip: "::", port: 5004)!) != RelayEndpoint(SocketAddress(ip: "0.0.0.0", port: 5004)!))
    }
}
