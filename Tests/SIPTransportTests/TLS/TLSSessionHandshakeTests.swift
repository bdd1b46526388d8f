import Dispatch
import Testing

@testable import SIPTransport

@Suite("TLS engine: handshake and application data")
struct TLSSessionHandshakeTests {
    @Test("RFC 8446: client and server engines complete a TLS 1.3 handshake in memory")
    func tls13Handshake() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(clientContext: TLSTestContexts.client(certificates), serverContext: TLSTestContexts.server(certificates))
        #expect(!pair.client.isHandshakeComplete)
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete)
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.client.negotiatedVersion == .tlsv1_3)
        #expect(pair.server.negotiatedVersion == .tlsv1_3)
        #expect(pair.client.negotiatedCipher?.hasPrefix("TLS_") == true)
        #expect(pair.client.negotiatedCipher == pair.server.negotiatedCipher)
        #expect(pair.client.peerCertificateSubject == "CN=switchboard.test,O=Switchboard")
        #expect(pair.server.peerCertificateSubject == nil)
        // Session tickets arrive after the handshake and yield no application data.
        #expect(pair.clientReceived.isEmpty)
        #expect(pair.serverReceived.isEmpty)
    }

    @Test("RFC 5246: with the client's maximum at TLS 1.2 the engines agree on TLS 1.2 and exchange data")
    func tls12Handshake() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(
            clientContext: TLSTestContexts.client(certificates, maximumVersion: .tlsv1_2),
            serverContext: TLSTestContexts.server(certificates)
        )
        try pair.handshake()
        #expect(pair.client.negotiatedVersion == .tlsv1_2)
        #expect(pair.server.negotiatedVersion == .tlsv1_2)
        #expect(pair.server.negotiatedCipher?.contains("ECDHE") == true)
        try pair.pump(toServer: pair.client.send(sampleInvite))
        #expect(pair.serverReceived == sampleInvite)
        let ok = Array("SIP/2.0 100 Trying\r\nContent-Length: 0\r\n\r\n".utf8)
        try pair.pump(toClient: pair.server.send(ok))
        #expect(pair.clientReceived == ok)
    }

    @Test("RFC 6066 3: the server sees the host name the client sent as SNI")
    func serverNameIndication() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(
            clientContext: TLSTestContexts.client(certificates),
            serverContext: TLSTestContexts.server(certificates),
            serverName: "switchboard.test"
        )
        #expect(pair.server.serverName == nil)
        try pair.handshake()
        #expect(pair.server.serverName == "switchboard.test")
    }

    @Test("RFC 6066 3: an IP literal is not sent as SNI and is verified against the IP subjectAltName")
    func ipAddressTarget() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(
            clientContext: TLSTestContexts.client(certificates),
            serverContext: TLSTestContexts.server(certificates),
            serverName: "127.0.0.1"
        )
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete)
        #expect(pair.server.serverName == nil)
    }

    @Test("RFC 3261 26.3.1: a whole INVITE crosses in 1-byte chunks of ciphertext, and the response back")
    func inviteInOneByteChunks() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(clientContext: TLSTestContexts.client(certificates), serverContext: TLSTestContexts.server(certificates))
        try pair.handshake()

        let ciphertext = try pair.client.send(sampleInvite)
        #expect(ciphertext.count > sampleInvite.count)
        var received: [UInt8] = []
        for byte in ciphertext {
            let result = try pair.server.receive([byte])
            received += result.plaintext
            #expect(result.toSend.isEmpty)
        }
        #expect(received == sampleInvite)

        let response = Array("SIP/2.0 180 Ringing\r\nCSeq: 314159 INVITE\r\nContent-Length: 0\r\n\r\n".utf8)
        var back: [UInt8] = []
        for byte in try pair.server.send(response) {
            back += try pair.client.receive([byte]).plaintext
        }
        #expect(back == response)
    }

    @Test("RFC 8446 5.1: a message larger than one 16 KiB record crosses intact, fed in uneven slices")
    func messageLargerThanOneRecord() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(clientContext: TLSTestContexts.client(certificates), serverContext: TLSTestContexts.server(certificates))
        try pair.handshake()
        let body = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let ciphertext = try pair.client.send(sampleInvite + body)
        var received: [UInt8] = []
        var offset = 0
        var slice = 1
        while offset < ciphertext.count {
            let end = min(ciphertext.count, offset + slice)
            received += try pair.server.receive(Array(ciphertext[offset..<end])).plaintext
            offset = end
            slice = slice * 3 + 1
        }
        #expect(received == sampleInvite + body)
    }

    @Test("RFC 8446 2: plaintext sent before the handshake completes is delivered once it has")
    func plaintextBufferedDuringHandshake() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(clientContext: TLSTestContexts.client(certificates), serverContext: TLSTestContexts.server(certificates))
        // No start(): the first send produces the ClientHello and keeps the INVITE.
        let hello = try pair.client.send(sampleInvite)
        #expect(hello.first == 0x16)  // handshake record
        #expect(!pair.client.isHandshakeComplete)
        try pair.pump(toServer: hello)
        #expect(pair.serverReceived == sampleInvite)
        // The server may also write before it has the client's Finished.
        let server = try TLSSession(context: TLSTestContexts.server(certificates), role: .server)
        #expect(try server.send(Array("early".utf8)).isEmpty)
    }

    @Test("A session confined to its connection's queue works when driven on that queue")
    func queueConfinedSession() throws {
        let certificates = try TLSTestCertificates.get()
        let clientQueue = DispatchQueue(label: "test.tls.client")
        let serverQueue = DispatchQueue(label: "test.tls.server")
        let client = try TLSSession(context: TLSTestContexts.client(certificates), role: .client(serverName: "switchboard.test"), queue: clientQueue)
        let server = try TLSSession(context: TLSTestContexts.server(certificates), role: .server, queue: serverQueue)
        var toServer = clientQueue.sync { client.start() }
        for _ in 0..<8 where !toServer.isEmpty {
            let toClient = try serverQueue.sync { try server.receive(toServer).toSend }
            toServer = try clientQueue.sync { try client.receive(toClient).toSend }
        }
        #expect(clientQueue.sync { client.isHandshakeComplete })
        #expect(serverQueue.sync { server.isHandshakeComplete })
    }

    @Test("RFC 8446 6.1: close_notify each way; nothing is sent after our close")
    func closeNotify() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(clientContext: TLSTestContexts.client(certificates), serverContext: TLSTestContexts.server(certificates))
        try pair.handshake()
        let alert = pair.client.close()
        #expect(alert.first == 0x15 || alert.first == 0x17)  // alert record (TLS 1.3 wraps it as application data)
        #expect(throws: TLSError.sessionClosed) { try pair.client.send(sampleInvite) }

        let result = try pair.server.receive(alert)
        #expect(result.plaintext.isEmpty)
        #expect(pair.server.isPeerClosed)
        #expect(throws: TLSError.sessionClosed) { try pair.server.receive([0x17, 0x03, 0x03]) }

        let reply = pair.server.close()
        #expect(!reply.isEmpty)
        #expect(pair.server.close().isEmpty)
        _ = try pair.client.receive(reply)
        #expect(pair.client.isPeerClosed)
    }

    @Test("RFC 8446 6.1: data sent just before close_notify arrives with it")
    func dataThenCloseNotify() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(clientContext: TLSTestContexts.client(certificates), serverContext: TLSTestContexts.server(certificates))
        try pair.handshake()
        let bytes = try pair.server.send(sampleInvite) + pair.server.close()
        let result = try pair.client.receive(bytes)
        #expect(result.plaintext == sampleInvite)
        #expect(pair.client.isPeerClosed)
    }
}
