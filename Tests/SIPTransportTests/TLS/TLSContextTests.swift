import Foundation
import Testing

@testable import SIPTransport

@Suite("TLS contexts: loading and reload")
struct TLSContextTests {
    @Test("A missing certificate file is reported with its path and OpenSSL's reason")
    func missingCertificate() throws {
        let certificates = try TLSTestCertificates.get()
        let missing = certificates.path("absent.pem")
        let configuration = TLSConfiguration.server(certificateChainPath: missing, privateKeyPath: certificates.path("server.key"))
        let error = #expect(throws: TLSError.self) { try TLSContext(configuration: configuration) }
        guard case .certificateChain(let path, let reason) = error else {
            Issue.record("expected a certificate chain error, got \(String(describing: error))")
            return
        }
        #expect(path == missing)
        #expect(reason.contains("No such file"))
    }

    @Test("A key that does not belong to the certificate is refused")
    func mismatchedKey() throws {
        let certificates = try TLSTestCertificates.get()
        let configuration = TLSConfiguration.server(
            certificateChainPath: certificates.path("server.pem"),
            privateKeyPath: certificates.path("client.key")
        )
        let error = #expect(throws: TLSError.self) { try TLSContext(configuration: configuration) }
        guard case .privateKey(let path, let reason) = error else {
            Issue.record("expected a private key error, got \(String(describing: error))")
            return
        }
        #expect(path == certificates.path("client.key"))
        #expect(reason.contains("key values mismatch"))
    }

    @Test("Invalid settings are refused: versions upside down, unknown ciphers, half an identity, no CA file")
    func invalidSettings() throws {
        let certificates = try TLSTestCertificates.get()
        var upsideDown = TLSConfiguration.client()
        upsideDown.minimumVersion = .tlsv1_3
        upsideDown.maximumVersion = .tlsv1_2
        #expect(throws: TLSError.invalidConfiguration("minimum version TLSv1.3 is above maximum TLSv1.2")) {
            try TLSContext(configuration: upsideDown)
        }

        var ciphers = TLSConfiguration.client()
        ciphers.cipherList = "NO-SUCH-CIPHER"
        let cipherError = #expect(throws: TLSError.self) { try TLSContext(configuration: ciphers) }
        guard case .invalidConfiguration(let reason) = cipherError else {
            Issue.record("expected a configuration error, got \(String(describing: cipherError))")
            return
        }
        #expect(reason.hasPrefix("cipher list \"NO-SUCH-CIPHER\": no cipher match"))

        let halfIdentity = TLSConfiguration(certificateChainPath: certificates.path("server.pem"))
        #expect(throws: TLSError.self) { try TLSContext(configuration: halfIdentity) }

        let noCA = TLSConfiguration.client(trustRoots: .file(certificates.path("absent-ca.pem")))
        let caError = #expect(throws: TLSError.self) { try TLSContext(configuration: noCA) }
        guard case .trustRoots(let source, _) = caError else {
            Issue.record("expected a trust roots error, got \(String(describing: caError))")
            return
        }
        #expect(source == certificates.path("absent-ca.pem"))
    }

    @Test("Reload: a rebuilt context serves the new certificate while a session on the old one continues")
    func reloadKeepsRunningSessions() throws {
        let certificates = try TLSTestCertificates.get()
        let directory = try certificates.copy(["server.pem", "server.key"])
        let configuration = TLSConfiguration.server(
            certificateChainPath: directory + "/server.pem",
            privateKeyPath: directory + "/server.key"
        )
        let original = try TLSContext(configuration: configuration)
        let clientContext = try TLSTestContexts.client(certificates)
        var old = try TLSPair(clientContext: clientContext, serverContext: original)
        try old.handshake()
        #expect(old.client.peerCertificateSubject == "CN=switchboard.test,O=Switchboard")

        // The operator installs the renewed certificate, then sends SIGHUP.
        let files = FileManager.default
        try files.removeItem(atPath: directory + "/server.pem")
        try files.removeItem(atPath: directory + "/server.key")
        try files.copyItem(atPath: certificates.path("server-renewed.pem"), toPath: directory + "/server.pem")
        try files.copyItem(atPath: certificates.path("server-renewed.key"), toPath: directory + "/server.key")
        let reloaded = try original.reloaded()

        var new = try TLSPair(clientContext: clientContext, serverContext: reloaded)
        try new.handshake()
        #expect(new.client.peerCertificateSubject == "CN=switchboard.test,O=Switchboard Renewed")

        // The connection made before the reload still works both ways, on its old certificate.
        try old.pump(toServer: old.client.send(sampleInvite))
        #expect(old.serverReceived == sampleInvite)
        let ok = Array("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n".utf8)
        try old.pump(toClient: old.server.send(ok))
        #expect(old.clientReceived == ok)
        #expect(old.server.context === original)
        #expect(old.client.peerCertificateSubject == "CN=switchboard.test,O=Switchboard")
    }

    @Test("Reload: a broken new key throws and the running context keeps serving")
    func failedReloadKeepsOldContext() throws {
        let certificates = try TLSTestCertificates.get()
        let directory = try certificates.copy(["server.pem", "server.key"])
        let configuration = TLSConfiguration.server(
            certificateChainPath: directory + "/server.pem",
            privateKeyPath: directory + "/server.key"
        )
        let original = try TLSContext(configuration: configuration)
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: directory + "/server.key"))
        let error = #expect(throws: TLSError.self) { try original.reloaded() }
        guard case .privateKey = error else {
            Issue.record("expected a private key error, got \(String(describing: error))")
            return
        }
        var pair = try TLSPair(clientContext: TLSTestContexts.client(certificates), serverContext: original)
        try pair.handshake()
        #expect(pair.server.isHandshakeComplete)
    }
}
