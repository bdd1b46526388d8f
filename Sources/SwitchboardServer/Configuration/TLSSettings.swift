#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SIPTransport

/// `[sip.tls]`: our certificate for `tls://` listeners, whom we trust and
/// verify, and the lowest protocol version. One TLS context serves both
/// accepted connections (server side) and connections Switchboard opens.
public struct TLSSettings: Hashable, Sendable {
    /// Whether clients of a `tls://` listener must present a certificate.
    public enum ClientVerification: String, CaseIterable, Hashable, Sendable {
        case none
        case optional
        case required
    }

    /// The lowest TLS version accepted; TLS 1.3 is always the highest.
    public enum MinimumVersion: String, CaseIterable, Hashable, Sendable {
        case tls1_2 = "1.2"
        case tls1_3 = "1.3"
    }

    /// PEM file with our certificate first, then intermediates; "" for none.
    public var certificate: String
    /// PEM private key of the first certificate; "" for none.
    public var privateKey: String
    /// PEM bundle of CAs to verify peers with; "" for the system roots.
    public var caFile: String
    /// Verify the certificate of servers Switchboard connects to.
    public var verifyPeer: Bool
    public var verifyClients: ClientVerification
    public var minVersion: MinimumVersion

    public init(
        certificate: String = "", privateKey: String = "", caFile: String = "", verifyPeer: Bool = true,
        verifyClients: ClientVerification = .none, minVersion: MinimumVersion = .tls1_2
    ) {
        self.certificate = certificate
        self.privateKey = privateKey
        self.caFile = caFile
        self.verifyPeer = verifyPeer
        self.verifyClients = verifyClients
        self.minVersion = minVersion
    }

    init(reading section: inout ConfigurationSection) {
        certificate = section.string("certificate", default: "")
        privateKey = section.string("private_key", default: "")
        caFile = section.string("ca_file", default: "")
        verifyPeer = section.boolean("verify_peer", default: true)
        verifyClients = section.choice("verify_clients", default: ClientVerification.none, what: "client verification")
        minVersion = section.choice("min_version", default: MinimumVersion.tls1_2, what: "TLS version")
    }

    /// The TLS engine's configuration for these settings.
    public var tlsConfiguration: TLSConfiguration {
        TLSConfiguration(
            certificateChainPath: certificate.isEmpty ? nil : certificate,
            privateKeyPath: privateKey.isEmpty ? nil : privateKey,
            trustRoots: caFile.isEmpty ? .system : .file(caFile),
            verifyPeer: verifyPeer,
            clientCertificateVerification: {
                switch verifyClients {
                case .none: .none
                case .optional: .optional
                case .required: .required
                }
            }(),
            minimumVersion: minVersion == .tls1_2 ? .tlsv1_2 : .tlsv1_3)
    }

    /// Builds the TLS context these settings describe, reading every file now.
    public func makeContext() throws(TLSError) -> TLSContext {
        try TLSContext(configuration: tlsConfiguration)
    }

    /// Checks what reading keys alone cannot: a `tls://` listener needs a
    /// certificate and key, named files must be readable, and the context
    /// must load (certificate parses, key matches), so that check-config and
    /// reload refuse what the TLS engine would refuse.
    func validate(listen: [ListenAddress], at path: ConfigurationKeyPath, diagnostics: ConfigurationDiagnostics) {
        var problems = 0
        func report(_ problem: ConfigurationError.Problem, _ key: String?) {
            problems += 1
            diagnostics.report(problem, at: key.map { path.appending($0) } ?? path)
        }
        if let listener = listen.first(where: { $0.transport == .tls }) {
            if certificate.isEmpty { report(.invalid("required by the listener \(listener)"), "certificate") }
            if privateKey.isEmpty { report(.invalid("required by the listener \(listener)"), "private_key") }
        }
        if certificate.isEmpty != privateKey.isEmpty, problems == 0 {
            if certificate.isEmpty {
                report(.invalid("required with private_key"), "certificate")
            } else {
                report(.invalid("required with certificate"), "private_key")
            }
        }
        for (file, key) in [(certificate, "certificate"), (privateKey, "private_key"), (caFile, "ca_file")] where !file.isEmpty {
            if access(file, R_OK) != 0 {
                report(.invalid("cannot read \(file): \(String(cString: strerror(errno)))"), key)
            }
        }
        guard problems == 0 else { return }
        do {
            _ = try makeContext()
        } catch {
            switch error {
            case .certificateChain(let file, let reason): report(.invalid("\(file): \(reason)"), "certificate")
            case .privateKey(let file, let reason): report(.invalid("\(file): \(reason)"), "private_key")
            case .trustRoots(let source, let reason): report(.invalid("\(source): \(reason)"), caFile.isEmpty ? nil : "ca_file")
            default: report(.invalid(error.description), nil)
            }
        }
    }
}
