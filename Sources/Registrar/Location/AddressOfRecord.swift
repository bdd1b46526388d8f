import SIPCore

/// An address-of-record in the canonical form RFC 3261 10.3 step 5 asks
/// for: `sip:user@domain`, URI parameters and port dropped, escapes decoded,
/// the domain lowercased. `sips:` AORs fold onto the same `sip:` record.
public struct AddressOfRecord: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The user part, unescaped and case-sensitive; nil for a domain-only AOR.
    public let user: String?
    /// The domain, lowercased.
    public let domain: String

    public init(user: String?, domain: String) {
        self.user = user
        self.domain = domain.lowercasedIfNeeded
    }

    /// The AOR of a To URI; only `sip:` and `sips:` URIs name one (400 otherwise).
    public init(uri: SIPURI) throws(RegistrationError) {
        guard uri.scheme == .sip || uri.scheme == .sips else {
            throw .badRequest("Address-of-record is not a SIP URI")
        }
        guard !uri.host.isEmpty else { throw .badRequest("Address-of-record has no domain") }
        self.init(user: uri.user, domain: uri.host)
    }

    /// Reads the canonical text back (as stored); nil if it is not `sip:[user@]domain`.
    public init?(canonical text: String) {
        guard text.hasPrefix("sip:") else { return nil }
        let rest = text.dropFirst(4)
        if let at = rest.lastIndex(of: "@") {
            let domain = rest[rest.index(after: at)...]
            guard !domain.isEmpty else { return nil }
            self.init(user: String(rest[..<at]), domain: String(domain))
        } else {
            guard !rest.isEmpty else { return nil }
            self.init(user: nil, domain: String(rest))
        }
    }

    public var description: String {
        if let user { return "sip:\(user)@\(domain)" }
        return "sip:\(domain)"
    }

    public static func < (a: AddressOfRecord, b: AddressOfRecord) -> Bool { a.description < b.description }
}
