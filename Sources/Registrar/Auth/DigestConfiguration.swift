/// How Switchboard challenges and checks digest credentials in one realm.
public struct DigestConfiguration: Sendable {
    /// The realm of every challenge; credentials for other realms are ignored
    /// (RFC 3261 section 22.4).
    public let realm: String
    /// Algorithms offered, one challenge each, in this order of preference.
    public let algorithms: [DigestAlgorithm]
    /// Issues and checks nonces; holds the secret and the nonce lifetime.
    public let nonces: StatelessNonce
    /// Sent in every challenge; a client that echoes `opaque` must echo this value.
    public let opaque: String?
    /// Whether responses computed without `qop` (RFC 2069, still sent by
    /// some old phones) are accepted. Each such nonce can then be used once,
    /// since without `nc` a second use cannot be told from a replay.
    public let acceptsResponsesWithoutQop: Bool
    /// Whether challenges say `userhash=true` (RFC 7616 section 3.4.4).
    public let offersUserhash: Bool

    public enum Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        case emptyRealm
        case noAlgorithms
        case realmNotRepresentable(String)

        public var description: String {
            switch self {
            case .emptyRealm: "digest realm is empty"
            case .noAlgorithms: "no digest algorithm configured"
            case .realmNotRepresentable(let r): "digest realm \(r) contains a control character"
            }
        }
    }

    public init(
        realm: String,
        algorithms: [DigestAlgorithm] = DigestAlgorithm.allCases,
        nonces: StatelessNonce,
        opaque: String? = nil,
        acceptsResponsesWithoutQop: Bool = true,
        offersUserhash: Bool = false
    ) throws(Error) {
        guard !realm.isEmpty else { throw .emptyRealm }
        guard !realm.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) else {
            throw .realmNotRepresentable(realm)
        }
        guard !algorithms.isEmpty else { throw .noAlgorithms }
        self.realm = realm
        var seen = Set<DigestAlgorithm>()
        self.algorithms = algorithms.filter { seen.insert($0).inserted }
        self.nonces = nonces
        self.opaque = opaque
        self.acceptsResponsesWithoutQop = acceptsResponsesWithoutQop
        self.offersUserhash = offersUserhash
    }
}
