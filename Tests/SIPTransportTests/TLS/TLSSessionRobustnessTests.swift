import Testing

@testable import SIPTransport

@Suite("TLS engine: bad input")
struct TLSSessionRobustnessTests {
    @Test("RFC 8446 5.1: SIP text where a ClientHello belongs fails the session with an error")
    func plaintextInsteadOfClientHello() throws {
        let certificates = try TLSTestCertificates.get()
        let server = try TLSSession(context: TLSTestContexts.server(certificates), role: .server)
        let error = #expect(throws: TLSError.self) { try server.receive(sampleInvite) }
        guard case .protocolError(let reason) = error else {
            Issue.record("expected a protocol error, got \(String(describing: error))")
            return
        }
        #expect(!reason.isEmpty)
        #expect(!server.isHandshakeComplete)
        // Failed for good: more bytes are refused with the same error, close() still works.
        let again = #expect(throws: TLSError.self) { try server.receive([0x16, 0x03, 0x01]) }
        #expect(again == error)
        _ = server.close()
    }

    @Test("RFC 8446 5.1: random bytes in a handshake record fail the session without a crash")
    func randomBytes() throws {
        let certificates = try TLSTestCertificates.get()
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let server = try TLSSession(context: TLSTestContexts.server(certificates), role: .server)
            let body = (0..<300).map { _ in UInt8.random(in: 0...255, using: &generator) }
            // A plausible record header (handshake, TLS 1.0 legacy version, 300 bytes) over random content.
            let record: [UInt8] = [0x16, 0x03, 0x01, 0x01, 0x2c] + body
            #expect(throws: TLSError.self) { try server.receive(record) }
        }
    }

    @Test("RFC 8446 5.2: a corrupted application data record fails the session")
    func corruptedRecord() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(clientContext: TLSTestContexts.client(certificates), serverContext: TLSTestContexts.server(certificates))
        try pair.handshake()
        var ciphertext = try pair.client.send(sampleInvite)
        ciphertext[ciphertext.count / 2] ^= 0xff
        let error = #expect(throws: TLSError.self) { try pair.server.receive(ciphertext) }
        guard case .protocolError(let reason) = error else {
            Issue.record("expected a protocol error, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("bad record mac") || reason.contains("decryption failed"))
    }

    @Test("RFC 8446 4.1.3: a client given plaintext instead of a ServerHello fails the session")
    func plaintextInsteadOfServerHello() throws {
        let certificates = try TLSTestCertificates.get()
        let client = try TLSSession(context: TLSTestContexts.client(certificates), role: .client(serverName: "switchboard.test"))
        #expect(!client.start().isEmpty)
        let response = Array("SIP/2.0 400 Bad Request\r\nContent-Length: 0\r\n\r\n".utf8)
        #expect(throws: TLSError.self) { try client.receive(response) }
    }
}
