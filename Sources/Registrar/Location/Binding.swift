import SIPCore

/// One registered contact of an address-of-record (RFC 3261 10.3), with what
/// RFC 3327 (Path), RFC 5626 (outbound) and RFC 5627 (GRUU) add to it.
///
/// Times are seconds since the Unix epoch, always passed in by the caller.
public struct Binding: Sendable, Hashable {
    public var aor: AddressOfRecord
    /// Identifies the binding within its AOR: the instance and reg-id of an
    /// outbound flow (RFC 5626 6), otherwise the contact URI compared by the
    /// rules of RFC 3261 19.1.4.
    public var key: String
    public var contactURI: SIPURI
    /// The Contact header value as the UA wrote it.
    public var contactText: String
    /// When the binding lapses.
    public var expiresAt: Double
    /// The `q` parameter, 0…1; nil when absent (ranks as 1).
    public var q: Double?
    public var callID: String
    public var cseq: UInt32
    /// Path header values as received, topmost first (RFC 3327 5.3).
    public var path: [String]
    /// `+sip.instance`, unquoted, e.g. `<urn:uuid:…>` (RFC 5626 4.1).
    public var instanceID: String?
    /// `reg-id`, set only when outbound processing applied (RFC 5626 6).
    public var regID: UInt32?
    public var source: BindingSource
    public var userAgent: String?
    /// When the binding was last written by a REGISTER.
    public var registeredAt: Double
    /// The user part of the temporary GRUU issued for this binding (RFC 5627 5.3).
    public var tempGRUU: String?

    public init(
        aor: AddressOfRecord, key: String, contactURI: SIPURI, contactText: String, expiresAt: Double, q: Double? = nil,
        callID: String, cseq: UInt32, path: [String] = [], instanceID: String? = nil, regID: UInt32? = nil,
        source: BindingSource, userAgent: String? = nil, registeredAt: Double, tempGRUU: String? = nil
    ) {
        self.aor = aor
        self.key = key
        self.contactURI = contactURI
        self.contactText = contactText
        self.expiresAt = expiresAt
        self.q = q
        self.callID = callID
        self.cseq = cseq
        self.path = path
        self.instanceID = instanceID
        self.regID = regID
        self.source = source
        self.userAgent = userAgent
        self.registeredAt = registeredAt
        self.tempGRUU = tempGRUU
    }

    /// The q value used for ordering: absent counts as 1.
    public var priority: Double { q ?? 1 }

    public func isLive(at now: Double) -> Bool { expiresAt > now }

    /// Seconds left, rounded up, as the `expires` parameter of a 200 carries it.
    public func remainingSeconds(at now: Double) -> UInt32 {
        let left = (expiresAt - now).rounded(.up)
        return left <= 0 ? 0 : UInt32(min(left, Double(UInt32.max)))
    }
}
