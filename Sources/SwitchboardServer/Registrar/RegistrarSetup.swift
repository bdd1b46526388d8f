import CallCore
import Foundation
import Logging
import Registrar

/// Opens the registrar's store and secret in the data directory and turns
/// the `[registrar]`, `[auth]` and `[sip]` settings into the registrar's own.
enum RegistrarSetup {
    /// The database file's directory and the secret behind nonces and
    /// temporary GRUUs: both in `[server] data_dir`.
    static func open(_ configuration: Configuration, logger: Logger) throws(ServerError) -> (RegistrarService, secret: [UInt8]) {
        let directory = configuration.server.dataDirectory
        let secret: [UInt8]
        do {
            secret = try ServerSecret.load(directory: directory)
        } catch {
            throw .cannotOpenStore(path: directory, reason: "\(error)")
        }
        do {
            let store = try SQLiteRegistrarStore(directory: directory)
            let service = try RegistrarService(
                settings: settings(configuration, secret: secret), store: store, logger: Logger(label: "switchboard.registrar"),
                ownQueue: true)
            return (service, secret)
        } catch {
            throw .cannotOpenStore(path: directory, reason: error.description)
        }
    }

    /// The registrar settings a configuration gives.
    static func settings(_ configuration: Configuration, secret: [UInt8]) -> RegistrarService.Settings {
        let options = configuration.registrar
        let auth = configuration.auth
        var domains = Set(configuration.sip.domains.map { $0.lowercased() })
        for listen in configuration.sip.listen {
            domains.insert(listen.host.lowercased())
            if listen.host.hasPrefix("[") { domains.insert(String(listen.host.dropFirst().dropLast()).lowercased()) }
        }
        let registrar = RegistrarSettings(
            minExpires: UInt32(options.minExpires), defaultExpires: UInt32(options.defaultExpires),
            maxExpires: UInt32(options.maxExpires), maxContacts: options.maxContacts, localDomains: domains, gruuEnabled: options.gruu,
            outboundEnabled: options.outbound, gruuKey: ServerSecret.derive(secret, purpose: "gruu"))
        let nonces = StatelessNonce(secret: ServerSecret.derive(secret, purpose: "nonce"), lifetime: auth.nonceLifetime)
        // Validation guarantees a realm and at least one algorithm.
        let realm = auth.effectiveRealm(configuration)
        let digest = try! DigestConfiguration(realm: realm, algorithms: auth.algorithms, nonces: nonces)
        // Carriers are trusted by their address: their calls are not challenged.
        let sources = auth.trusted + configuration.routing.inbound.carrierSources
        let trusted = (try? TrustedSources(parsing: sources)) ?? (try! TrustedSources(parsing: []))
        return RegistrarService.Settings(
            registrar: registrar, digest: digest, trusted: trusted, challengeRequests: auth.challengeRequests,
            md5OnlyUserAgents: auth.md5OnlyUserAgents, parallelEqualPriority: options.equalPriority == .parallel,
            configuredUsers: auth.users.map { $0.record(realm: realm) })
    }
}
