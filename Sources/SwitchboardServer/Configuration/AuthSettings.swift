import Registrar

/// `[auth]`: digest authentication (RFC 7616, RFC 8760) of REGISTER and of
/// out-of-dialog requests from sources that are not trusted.
public struct AuthSettings: Hashable, Sendable {
    /// The realm of challenges and of the users' HA1 (`switchboard user add`).
    /// Empty: the first of `[sip] domains`, else the node name.
    public var realm: String
    /// Algorithms offered, one challenge each, in this order of preference.
    public var algorithms: [DigestAlgorithm]
    /// How long a nonce may be used; an older one gets `stale=true`.
    public var nonceLifetime: Duration
    /// Networks (CIDR or single addresses) whose requests are not challenged.
    public var trusted: [String]
    /// Whether out-of-dialog requests other than REGISTER from untrusted sources are challenged (407).
    public var challengeRequests: Bool
    /// User-Agent substrings of clients that refuse a challenge set naming an
    /// algorithm they lack; they are offered MD5 alone.
    public var md5OnlyUserAgents: [String]
    /// `[[auth.user]]`: users defined by their HA1 hashes for `realm`. Loaded
    /// into the user store at start and on every reload; a configured user
    /// wins over a stored user of the same name.
    public var users: [User]

    public init(
        realm: String = "", algorithms: [DigestAlgorithm] = [.sha256, .md5], nonceLifetime: Duration = .seconds(300),
        trusted: [String] = ["127.0.0.0/8", "::1"], challengeRequests: Bool = true, md5OnlyUserAgents: [String] = ["baresip"],
        users: [User] = []
    ) {
        self.realm = realm
        self.algorithms = algorithms
        self.nonceLifetime = nonceLifetime
        self.trusted = trusted
        self.challengeRequests = challengeRequests
        self.md5OnlyUserAgents = md5OnlyUserAgents
        self.users = users
    }

    init(reading section: inout ConfigurationSection) {
        let defaults = AuthSettings()
        realm = section.string("realm", default: "")
        if realm.contains("\"") || realm.contains("\\") {
            section.report(.invalid("a realm may not contain '\"' or '\\'"), at: "realm")
        }
        var algorithms: [DigestAlgorithm] = []
        for (token, path) in section.strings("algorithms", default: defaults.algorithms.map(\.rawValue)) {
            guard let algorithm = DigestAlgorithm(token: token) else {
                section.diagnostics.report(
                    .notOneOf(what: "digest algorithm", value: token, expected: DigestAlgorithm.allCases.map(\.rawValue)), at: path)
                continue
            }
            if algorithms.contains(algorithm) {
                section.diagnostics.report(.invalid("\(algorithm.rawValue) is listed twice"), at: path)
            }
            algorithms.append(algorithm)
        }
        if section.has("algorithms"), algorithms.isEmpty {
            section.report(.invalid("at least one algorithm is needed"), at: "algorithms")
        }
        self.algorithms = algorithms.isEmpty ? defaults.algorithms : algorithms
        nonceLifetime = .seconds(section.integer("nonce_lifetime", default: 300, range: 10...86_400))
        var trusted: [String] = []
        for (entry, path) in section.strings("trusted", default: defaults.trusted) {
            do {
                _ = try TrustedSources(parsing: [entry])
                trusted.append(entry)
            } catch {
                section.diagnostics.report(.invalid(error.reason), at: path)
            }
        }
        self.trusted = trusted
        challengeRequests = section.boolean("challenge_requests", default: true)
        md5OnlyUserAgents = section.strings("md5_only_user_agents", default: defaults.md5OnlyUserAgents).map(\.value)
        users = Self.readUsers(&section)
    }

    /// The realm in force: `realm`, else the first local domain, else the node name.
    public func effectiveRealm(_ configuration: Configuration) -> String {
        if !realm.isEmpty { return realm }
        return configuration.sip.domains.first ?? configuration.server.node
    }
}
