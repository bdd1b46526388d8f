import Foundation
import SIPTransport
import Testing
@testable import SwitchboardServer

@Suite("[sip.tls] configuration")
struct TLSSettingsTests {
    @Test("defaults: no certificate, system roots, verify servers, no client certificates, TLS 1.2")
    func defaults() throws {
        let tls = try ConfigurationLoader().decode("", file: "x.toml").sip.tls
        #expect(tls == TLSSettings())
        let engine = tls.tlsConfiguration
        #expect(engine.certificateChainPath == nil)
        #expect(engine.trustRoots == .system)
        #expect(engine.verifyPeer)
        #expect(engine.clientCertificateVerification == .none)
        #expect(engine.minimumVersion == .tlsv1_2)
    }

    @Test("every key is decoded into the TLS engine's configuration")
    func decodes() throws {
        let certificates = try TestCertificates.get()
        let tls = try ConfigurationLoader().decode(
            """
            [sip]
            listen = ["tls://127.0.0.1:0"]
            [sip.tls]
            certificate = "\(certificates.path("server.pem"))"
            private_key = "\(certificates.path("server.key"))"
            ca_file = "\(certificates.path("ca.pem"))"
            verify_peer = false
            verify_clients = "required"
            min_version = "1.3"
            """, file: "x.toml"
        ).sip.tls
        let engine = tls.tlsConfiguration
        #expect(engine.certificateChainPath == certificates.path("server.pem"))
        #expect(engine.privateKeyPath == certificates.path("server.key"))
        #expect(engine.trustRoots == .file(certificates.path("ca.pem")))
        #expect(!engine.verifyPeer)
        #expect(engine.clientCertificateVerification == .required)
        #expect(engine.minimumVersion == .tlsv1_3)
    }

    @Test("a tls:// listener without certificate and key is an error naming both keys")
    func listenerNeedsCertificate() {
        let lines = errorLines("[sip]\nlisten = [\"tls://127.0.0.1:5061\"]\n")
        #expect(
            lines == [
                "conf/x.toml:1: sip.tls.certificate: required by the listener tls://127.0.0.1:5061",
                "conf/x.toml:1: sip.tls.private_key: required by the listener tls://127.0.0.1:5061",
            ])
    }

    @Test("a tls:// listener from --listen needs them too")
    func overrideNeedsCertificate() {
        let lines = errorLines("", listenOverrides: ["tls://127.0.0.1:0"])
        #expect(lines.count == 2)
        #expect(lines.first?.contains("sip.tls.certificate: required by the listener tls://127.0.0.1:0") == true)
    }

    @Test("unknown choices and keys are reported with their line")
    func badValues() {
        let lines = errorLines("[sip.tls]\nverify_clients = \"maybe\"\nmin_version = \"1.1\"\nca_files = \"x\"\n")
        #expect(
            lines == [
                #"conf/x.toml:2: sip.tls.verify_clients: unknown client verification "maybe" (expected none, optional or required)"#,
                #"conf/x.toml:3: sip.tls.min_version: unknown TLS version "1.1" (expected 1.2 or 1.3)"#,
                #"conf/x.toml:4: sip.tls.ca_files: unknown key (did you mean "ca_file"?)"#,
            ])
    }

    @Test("a missing file is reported at its key")
    func missingFile() throws {
        let certificates = try TestCertificates.get()
        let lines = errorLines(
            """
            [sip.tls]
            certificate = "\(certificates.path("server.pem"))"
            private_key = "\(certificates.path("nope.key"))"
            """)
        #expect(lines == ["conf/x.toml:3: sip.tls.private_key: cannot read \(certificates.path("nope.key")): No such file or directory"])
    }

    @Test("a key that does not match the certificate is reported at private_key, as the TLS engine sees it")
    func mismatchedKey() throws {
        let certificates = try TestCertificates.get()
        let lines = errorLines(
            """
            [sip]
            listen = ["tls://127.0.0.1:0"]
            [sip.tls]
            certificate = "\(certificates.path("server.pem"))"
            private_key = "\(certificates.path("client.key"))"
            """)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("conf/x.toml:5: sip.tls.private_key: \(certificates.path("client.key")): ") == true, "\(lines)")
    }

    @Test("a file that is not a certificate is reported at certificate")
    func notACertificate() throws {
        let certificates = try TestCertificates.get()
        let lines = errorLines(
            """
            [sip.tls]
            certificate = "\(certificates.path("server.key"))"
            private_key = "\(certificates.path("server.key"))"
            """)
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("conf/x.toml:2: sip.tls.certificate: \(certificates.path("server.key")): ") == true, "\(lines)")
    }

    @Test("a certificate without a key is an error")
    func certificateWithoutKey() throws {
        let certificates = try TestCertificates.get()
        let lines = errorLines("[sip.tls]\ncertificate = \"\(certificates.path("server.pem"))\"\n")
        #expect(lines == ["conf/x.toml:1: sip.tls.private_key: required with certificate"])
    }
}
