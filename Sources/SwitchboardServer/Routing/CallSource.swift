/// Who a call comes from, as far as choosing a dial plan goes: the address
/// the request came from and the user part of its From (or of the
/// authenticated identity).
public struct CallSource: Hashable, Sendable {
    /// IPv4 or IPv6 address text; nil when unknown.
    public var address: String?
    /// User part, e.g. `alice` or `+442071234567`; nil when unknown.
    public var user: String?

    public init(address: String? = nil, user: String? = nil) {
        self.address = address
        self.user = user
    }

    /// A caller no `[[routing.dial_plan]]` can match: the default plan applies.
    public static let unknown = CallSource()
}
