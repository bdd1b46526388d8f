/// The privacy a caller asked for in its `Privacy` header (RFC 3323 4.2, RFC 3325 9.3).
public struct PrivacyRequest: Sendable, Hashable {
    /// `id`: keep the asserted identity from untrusted hops (RFC 3325 9.3).
    public var id: Bool
    /// `user`: anonymize user-inserted headers such as From (RFC 3323 4.2).
    public var user: Bool
    /// `header`: hide headers that could identify the caller (RFC 3323 4.2).
    public var header: Bool
    /// `critical`: the call fails rather than go out without the privacy asked for.
    public var critical: Bool

    public init(id: Bool = false, user: Bool = false, header: Bool = false, critical: Bool = false) {
        self.id = id
        self.user = user
        self.header = header
        self.critical = critical
    }

    /// No privacy asked for (also what `Privacy: none` means).
    public static let none = PrivacyRequest()

    /// Parses a `Privacy` header value: `priv-value *(";" priv-value)`, case-insensitive; unknown values ignored.
    public init(headerValue: String) {
        self.init()
        for token in headerValue.split(whereSeparator: { $0 == ";" || $0 == "," }) {
            switch token.trimmingSpaces.lowercased() {
            case "id": id = true
            case "user": user = true
            case "header": header = true
            case "critical": critical = true
            default: continue
            }
        }
    }

    /// Whether any hiding was asked for.
    public var hidesIdentity: Bool { id || user || header }
}
