import Testing

@testable import SIPTransport

@Suite("TLS engine: certificate verification")
struct TLSSessionVerificationTests {
    /// Runs a handshake where the client must reject the server's certificate;
    /// returns the client's error and checks the server hears an alert.
    private func clientRejection(serverCertificate: String, serverName: String = "switchboard.test") throws -> TLSError? {
        let certificates = try TLSTestCertificates.get()
        let client = try TLSSession(context: TLSTestContexts.client(certificates), role: .client(serverName: serverName))
        let server = try TLSSession(context: TLSTestContexts.server(certificates, certificate: serverCertificate), role: .server)
        let serverFlight = try server.receive(client.start()).toSend
        let error = #expect(throws: TLSError.self) { try client.receive(serverFlight) }
        #expect(!client.isHandshakeComplete)
        // The session stays failed, and close() hands over the alert for the peer.
        let again = #expect(throws: TLSError.self) { try client.send(sampleInvite) }
        #expect(again == error)
        let alert = client.close()
        #expect(alert.first == 0x15)
        let serverError = #expect(throws: TLSError.self) { try server.receive(alert) }
        if case .alertReceived = serverError {} else { Issue.record("server: \(String(describing: serverError))") }
        return error
    }

    @Test("RFC 5922 7.2: a certificate for another domain is rejected as a name mismatch")
    func wrongName() throws {
        let error = try clientRejection(serverCertificate: "wrong-name")
        guard case .peerCertificateRejected(.nameMismatch, let reason) = error else {
            Issue.record("expected a name mismatch, got \(String(describing: error))")
            return
        }
        #expect(reason == "hostname mismatch")
        #expect(error?.description == "TLS peer certificate rejected (name mismatch): hostname mismatch")
    }

    @Test("RFC 5922 7.2: a valid certificate is rejected for a name it does not carry, IP or DNS")
    func nameNotInCertificate() throws {
        let ipError = try clientRejection(serverCertificate: "server", serverName: "127.0.0.2")
        guard case .peerCertificateRejected(.nameMismatch, _) = ipError else {
            Issue.record("expected a name mismatch, got \(String(describing: ipError))")
            return
        }
        let dnsError = try clientRejection(serverCertificate: "server", serverName: "carrier.example")
        guard case .peerCertificateRejected(.nameMismatch, _) = dnsError else {
            Issue.record("expected a name mismatch, got \(String(describing: dnsError))")
            return
        }
    }

    @Test("RFC 5280 6: a certificate from a CA we do not trust is rejected")
    func unknownCA() throws {
        let error = try clientRejection(serverCertificate: "untrusted")
        guard case .peerCertificateRejected(.untrustedIssuer, let reason) = error else {
            Issue.record("expected an untrusted issuer, got \(String(describing: error))")
            return
        }
        #expect(reason == "unable to get local issuer certificate")
    }

    @Test("RFC 5280 6.1.3: an expired certificate is rejected")
    func expired() throws {
        let error = try clientRejection(serverCertificate: "expired")
        guard case .peerCertificateRejected(.expired, let reason) = error else {
            Issue.record("expected an expired certificate, got \(String(describing: error))")
            return
        }
        #expect(reason == "certificate has expired")
    }

    @Test("RFC 3261 26.3.1: with verification off, a client accepts a certificate from an unknown CA")
    func verificationOff() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(
            clientContext: TLSTestContexts.client(certificates, verifyPeer: false),
            serverContext: TLSTestContexts.server(certificates, certificate: "untrusted")
        )
        try pair.handshake()
        #expect(pair.client.isHandshakeComplete)
        #expect(pair.client.peerCertificateSubject == "CN=switchboard.test,O=Elsewhere")
    }

    @Test("RFC 8446 4.4.2.4: a server requiring client certificates rejects a client without one")
    func clientCertificateRequired() throws {
        let certificates = try TLSTestCertificates.get()
        let client = try TLSSession(context: TLSTestContexts.client(certificates), role: .client(serverName: "switchboard.test"))
        let server = try TLSSession(context: TLSTestContexts.server(certificates, clientCertificates: .required), role: .server)
        let serverFlight = try server.receive(client.start()).toSend
        // In TLS 1.3 the client finishes first, then learns of the rejection from the alert.
        let clientFinished = try client.receive(serverFlight).toSend
        let error = #expect(throws: TLSError.self) { try server.receive(clientFinished) }
        guard case .peerCertificateMissing(let reason) = error else {
            Issue.record("expected a missing certificate, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("certificate"))
        #expect(!server.isHandshakeComplete)
        let alert = server.close()
        let clientError = #expect(throws: TLSError.self) { try client.receive(alert) }
        #expect(clientError == .alertReceived(reason: "tlsv13 alert certificate required (SSL alert number 116)"))
    }

    @Test("RFC 8446 4.4.2: mutual TLS: the server verifies the client's certificate and sees its subject")
    func mutualTLS() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(
            clientContext: TLSTestContexts.client(certificates, clientCertificate: true),
            serverContext: TLSTestContexts.server(certificates, clientCertificates: .required)
        )
        try pair.handshake()
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.server.peerCertificateSubject == "CN=client.switchboard.test,O=Switchboard")
        try pair.pump(toServer: pair.client.send(sampleInvite))
        #expect(pair.serverReceived == sampleInvite)
    }

    @Test("RFC 8446 4.4.2: optional client certificates let a client without one in")
    func clientCertificateOptional() throws {
        let certificates = try TLSTestCertificates.get()
        var pair = try TLSPair(
            clientContext: TLSTestContexts.client(certificates),
            serverContext: TLSTestContexts.server(certificates, clientCertificates: .optional)
        )
        try pair.handshake()
        #expect(pair.server.isHandshakeComplete)
        #expect(pair.server.peerCertificateSubject == nil)
    }
}
