import Testing

@testable import SIPTransport

/// TLS connections of the transport layer: what a failed or stalled handshake does to the connection.
@Suite("TLS connections")
struct TLSConnectionTests {
    private func tlsLayer(_ serverContext: TLSContext, configuration: TransportConfiguration = quietConfiguration(), inbox: Inbox) throws -> SIPTransportLayer {
        let layer = SIPTransportLayer(
            listeners: [ListenAddress(transport: .tls, address: address("127.0.0.1"))], configuration: configuration)
        layer.setStreamTransform(TLSStreamTransform.factory(serverContext), for: .tls)
        inbox.attach(layer)
        try layer.start()
        return layer
    }

    @Test("RFC 8446 6.2: a refused handshake sends the alert that says why before the connection closes")
    func failedHandshakeSendsAlert() throws {
        let certificates = try TLSTestCertificates.get()
        let inbox = Inbox()
        let layer = try tlsLayer(try TLSTestContexts.server(certificates, minimumVersion: .tlsv1_3), inbox: inbox)
        defer { layer.stop() }
        let client = try TLSSession(context: try TLSTestContexts.client(certificates, maximumVersion: .tlsv1_2), role: .client(serverName: "switchboard.test"))
        let peer = try TCPPeer(connectingTo: layer.bound(.tls))
        #expect(peer.write(client.start()))
        let read = peer.readToEnd()
        #expect(read.closed)
        #expect(!read.bytes.isEmpty, "the connection closed without an alert")
        #expect(read.bytes.first == 0x15, "the first record is not an alert")
        #expect {
            _ = try client.receive(read.bytes)
        } throws: { error in
            guard case TLSError.alertReceived(let reason) = error else { return false }
            return reason.contains("protocol version")
        }
        #expect(inbox.received.isEmpty)
    }

    @Test("Handshake timeout: a TLS handshake that stalls is closed; a completed one beside it stays")
    func stalledHandshakeCloses() throws {
        let certificates = try TLSTestCertificates.get()
        let inbox = Inbox()
        var configuration = quietConfiguration()
        configuration.handshakeTimeout = 0.3
        let layer = try tlsLayer(try TLSTestContexts.server(certificates), configuration: configuration, inbox: inbox)
        defer { layer.stop() }

        let completed = try TCPPeer(connectingTo: layer.bound(.tls))
        let client = try TLSSession(context: try TLSTestContexts.client(certificates), role: .client(serverName: "switchboard.test"))
        #expect(completed.write(client.start()))
        var toSend: [UInt8] = []
        for _ in 0..<8 where !client.isHandshakeComplete {
            let read = completed.read { !$0.isEmpty }
            guard !read.bytes.isEmpty else { break }
            toSend = try client.receive(read.bytes).toSend
            #expect(completed.write(toSend))
        }
        #expect(client.isHandshakeComplete)

        let stalled = try TCPPeer(connectingTo: layer.bound(.tls))
        // The first bytes of a ClientHello, and nothing after.
        #expect(stalled.write([0x16, 0x03, 0x01, 0x00, 0xC8, 0x01, 0x00, 0x00, 0xC4, 0x03, 0x03]))
        #expect(stalled.readToEnd().closed)
        #expect(layer.statistics.connectionsClosedHandshake == 1)

        #expect(completed.write(try client.send(Array(request(sentBy: "127.0.0.1:5061", transport: "TLS", callID: "after-stall").utf8))))
        #expect(inbox.wait(messages: 1))
        #expect(try inbox.received.first?.message.callID() == "after-stall")
    }
}
