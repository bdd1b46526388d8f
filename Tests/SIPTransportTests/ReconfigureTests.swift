#if canImport(Glibc)
import Glibc
#endif
import SIPCore
import Testing

@testable import SIPTransport

@Suite("Listener reconfiguration")
struct ReconfigureTests {
    @Test("SIGHUP reload: an unchanged listener keeps its socket and port, added ones open, removed ones close")
    func reconfigure() throws {
        let inbox = Inbox()
        let udpA = ListenAddress(transport: .udp, address: address("127.0.0.1"))
        let tcpA = ListenAddress(transport: .tcp, address: address("127.0.0.1"))
        let udpB = ListenAddress(transport: .udp, address: address("127.0.0.3"))
        let layer = SIPTransportLayer(listeners: [udpA, tcpA], configuration: quietConfiguration())
        inbox.attach(layer)
        try layer.start()
        defer { layer.stop() }
        let keptPort = try #require(layer.boundAddress(of: udpA))
        let removedPort = try #require(layer.boundAddress(of: tcpA))

        try layer.reconfigure(listeners: [udpA, udpB])
        #expect(layer.boundAddress(of: udpA) == keptPort)
        #expect(layer.boundAddress(of: tcpA) == nil)
        let added = try #require(layer.boundAddress(of: udpB))

        let peer = try UDPPeer()
        try peer.send(request(sentBy: peer.local.description, callID: "kept"), to: keptPort)
        try peer.send(request(sentBy: peer.local.description, callID: "added"), to: added)
        #expect(inbox.wait(messages: 2))
        #expect(Set(inbox.received.map(\.local)) == [keptPort, added])
        #expect(throws: IOError.self) { try TCPPeer(connectingTo: removedPort) }

        // A listener that cannot open leaves everything as it was.
        let impossible = ListenAddress(transport: .udp, address: address("192.0.2.1"))
        #expect(throws: ListenError.self) { try layer.reconfigure(listeners: [udpA, impossible]) }
        #expect(layer.boundAddress(of: udpB) == added)
        #expect(layer.boundAddress(of: udpA) == keptPort)
        #expect(layer.boundAddresses.count == 2)
    }

    @Test("start fails with the listener's name and leaves nothing open")
    func startFailure() throws {
        let good = ListenAddress(transport: .udp, address: address("127.0.0.1"))
        let bad = ListenAddress(transport: .tcp, address: address("192.0.2.1"))
        let layer = SIPTransportLayer(listeners: [good, bad], configuration: quietConfiguration())
        #expect {
            try layer.start()
        } throws: { error in
            (error as? ListenError)?.listen == bad && (error as? ListenError)?.reason.contains("bind") == true
        }
        #expect(layer.boundAddresses.isEmpty)
    }

    @Test("RFC 5630: a TLS listener needs the TLS engine installed")
    func tlsNeedsEngine() throws {
        let layer = SIPTransportLayer(
            listeners: [ListenAddress(transport: .tls, address: address("127.0.0.1"))], configuration: quietConfiguration())
        #expect(throws: ListenError.self) { try layer.start() }
    }
}
