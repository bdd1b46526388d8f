/// Registrar policy, one value per configuration snapshot.
public struct RegistrarSettings: Sendable, Hashable {
    /// Shortest non-zero interval accepted; shorter ones get 423 with Min-Expires (RFC 3261 10.3 step 7).
    public var minExpires: UInt32
    /// Interval used when neither the Contact nor the request names one.
    public var defaultExpires: UInt32
    /// Longer requested intervals are shortened to this.
    public var maxExpires: UInt32
    /// Most bindings one AOR may hold; a REGISTER that would leave more is
    /// refused whole (403, nothing stored). 0 means no limit.
    public var maxContacts: Int
    /// Domains this registrar is responsible for, lowercase; other AORs get 404.
    public var localDomains: Set<String>
    /// Issue pub-gruu/temp-gruu (RFC 5627) to instances that support `gruu`.
    public var gruuEnabled: Bool
    /// Apply RFC 5626 outbound processing to `reg-id` registrations.
    public var outboundEnabled: Bool
    /// Refuse registrations that do not use outbound, with 421 (RFC 5626 6 local policy).
    public var requireOutbound: Bool
    /// Secret for deriving temporary GRUUs; keep it stable across restarts so issued ones stay valid.
    public var gruuKey: [UInt8]

    public init(
        minExpires: UInt32 = 60, defaultExpires: UInt32 = 3600, maxExpires: UInt32 = 7200, maxContacts: Int = 10, localDomains: Set<String>,
        gruuEnabled: Bool = true, outboundEnabled: Bool = true, requireOutbound: Bool = false, gruuKey: [UInt8] = []
    ) {
        self.minExpires = minExpires
        self.defaultExpires = defaultExpires
        self.maxExpires = maxExpires
        self.maxContacts = maxContacts
        self.localDomains = Set(localDomains.map { $0.lowercased() })
        self.gruuEnabled = gruuEnabled
        self.outboundEnabled = outboundEnabled
        self.requireOutbound = requireOutbound
        self.gruuKey = gruuKey
    }

    /// The default interval kept within min…max.
    var effectiveDefault: UInt32 { min(max(defaultExpires, minExpires), max(maxExpires, minExpires)) }

    func isLocal(_ domain: String) -> Bool { localDomains.contains(domain.lowercasedIfNeeded) }
}
