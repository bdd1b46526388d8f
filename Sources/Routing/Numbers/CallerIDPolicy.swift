/// Which calling number a carrier may see. Carriers reject or rewrite calls
/// whose From/P-Asserted-Identity is not one of the account's numbers or
/// verified caller IDs (CARRIERS.md, Twilio), so only owned numbers pass and
/// every other caller goes out as the configured default number.
public struct CallerIDPolicy: Sendable, Hashable {
    /// Numbers the account owns or has verified with the carrier.
    public var ownedNumbers: Set<E164Number>
    /// Sent when the presented number is not owned; nil refuses such calls.
    public var defaultNumber: E164Number?
    /// Whether the carrier is inside Switchboard's trust domain (RFC 3325 2.3, Spec(T)).
    public var carrierIsTrusted: Bool

    public init(ownedNumbers: Set<E164Number> = [], defaultNumber: E164Number? = nil, carrierIsTrusted: Bool = true) {
        self.ownedNumbers = ownedNumbers
        self.defaultNumber = defaultNumber
        self.carrierIsTrusted = carrierIsTrusted
    }

    /// The identity to send for a caller presenting `presented` (from its
    /// P-Asserted-Identity, else its From) with `privacy`.
    public func identity(presenting presented: E164Number?, privacy: PrivacyRequest = .none) throws(CallerIDError)
        -> CallerIdentity
    {
        let number: E164Number
        let substituted: Bool
        if let presented, ownedNumbers.contains(presented) {
            number = presented
            substituted = false
        } else if let defaultNumber {
            number = defaultNumber
            substituted = true
        } else {
            throw .notOwned(presented)
        }
        // RFC 3325 7: with `Privacy: id` the identity is not passed to an untrusted hop.
        let assert = carrierIsTrusted || !privacy.id
        var privacyValues: [String] = []
        if assert && privacy.id { privacyValues.append("id") }
        if privacy.hidesIdentity && privacy.critical { privacyValues.append("critical") }
        return CallerIdentity(
            number: number,
            substituted: substituted,
            anonymousFrom: privacy.hidesIdentity,
            sendsAssertedIdentity: assert,
            privacyHeader: privacyValues.isEmpty ? nil : privacyValues.joined(separator: ";"))
    }
}

/// What the B2BUA writes on the carrier leg for the caller.
public struct CallerIdentity: Sendable, Hashable {
    /// The number for From (unless anonymous) and P-Asserted-Identity.
    public var number: E164Number
    /// Whether the default number replaced an unowned one.
    public var substituted: Bool
    /// From becomes `"Anonymous" <sip:anonymous@anonymous.invalid>` (RFC 3323 4.1.1.3).
    public var anonymousFrom: Bool
    /// Whether a P-Asserted-Identity with `number` is sent.
    public var sendsAssertedIdentity: Bool
    /// The `Privacy` header value to send (`id`), nil for none.
    public var privacyHeader: String?

    /// The From URI RFC 3323 4.1.1.3 recommends for anonymous callers.
    public static let anonymousFromURI = "sip:anonymous@anonymous.invalid"
}

/// The caller may not call out through this carrier.
public enum CallerIDError: Error, Sendable, Hashable {
    /// Not owned and no default configured: 403 Forbidden.
    case notOwned(E164Number?)

    public var sipStatus: Int { 403 }
}
