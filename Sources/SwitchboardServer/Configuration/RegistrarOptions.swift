/// `[registrar]`: bindings for the address-of-records of `[sip] domains`
/// (and of the listen addresses), RFC 3261 section 10.
public struct RegistrarOptions: Hashable, Sendable {
    /// Whether REGISTER for a local domain is answered here (else it is routed like any request).
    public var enabled: Bool
    /// Shortest registration accepted; shorter gets 423 with Min-Expires (RFC 3261 10.3 step 7).
    public var minExpires: Int
    /// Used when a REGISTER gives no expiry.
    public var defaultExpires: Int
    /// Longer requested expiries are shortened to this.
    public var maxExpires: Int
    /// RFC 5627 GRUUs for contacts with +sip.instance.
    public var gruu: Bool
    /// RFC 5626 SIP Outbound: flows with reg-id/instance-id and keep-alives.
    public var outbound: Bool
    /// Most contacts one address-of-record may have registered; a REGISTER
    /// that would exceed it gets 403 and stores nothing. 0: no limit.
    public var maxContacts: Int
    /// Contacts with the same q: rung at once (`parallel`) or one after another (`serial`).
    public var equalPriority: EqualPriority

    public enum EqualPriority: String, Hashable, Sendable, CaseIterable {
        case parallel
        case serial
    }

    public init(
        enabled: Bool = true, minExpires: Int = 60, defaultExpires: Int = 3600, maxExpires: Int = 7200, maxContacts: Int = 10, gruu: Bool = true,
        outbound: Bool = true, equalPriority: EqualPriority = .parallel
    ) {
        self.enabled = enabled
        self.minExpires = minExpires
        self.defaultExpires = defaultExpires
        self.maxExpires = maxExpires
        self.maxContacts = maxContacts
        self.gruu = gruu
        self.outbound = outbound
        self.equalPriority = equalPriority
    }

    init(reading section: inout ConfigurationSection) {
        enabled = section.boolean("enabled", default: true)
        minExpires = section.integer("min_expires", default: 60, range: 1...86_400)
        defaultExpires = section.integer("default_expires", default: 3600, range: 1...604_800)
        maxExpires = section.integer("max_expires", default: 7200, range: 1...604_800)
        maxContacts = section.integer("max_contacts", default: 10, range: 0...10_000)
        gruu = section.boolean("gruu", default: true)
        outbound = section.boolean("outbound", default: true)
        equalPriority = section.choice("equal_priority", default: .parallel, what: "fork order")
        if maxExpires < minExpires {
            section.report(.invalid("\(maxExpires) is less than min_expires (\(minExpires))"), at: "max_expires")
        }
        if defaultExpires < minExpires || defaultExpires > maxExpires {
            section.report(.invalid("\(defaultExpires) is outside min_expires...max_expires"), at: "default_expires")
        }
    }
}
