/// Why a REGISTER was refused, and the response it becomes.
public enum RegistrationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 400: malformed request, `*` misuse, bad Contact parameters.
    case badRequest(String)
    /// 403: the request would leave the AOR more bindings than `max_contacts`.
    /// RFC 3261 21.4.4: understood, refused, and repeating it will not help
    /// (a limit of policy, not a passing overload, so not 503).
    case tooManyContacts(limit: Int)
    /// 404: the AOR is not in a domain this registrar serves (RFC 3261 10.3 step 1/5).
    case notFound(String)
    /// 420: Require names extensions this registrar lacks (RFC 3261 10.3 step 2).
    case badExtension(unsupported: [String])
    /// 421: local policy requires these extensions, e.g. `outbound` (RFC 5626 6).
    case extensionRequired([String])
    /// 423: an interval below the minimum (RFC 3261 10.3 step 7); the 423 carries Min-Expires.
    case intervalTooBrief(minExpires: UInt32)
    /// 439: outbound asked for, but the first hop did not mark its Path with `ob` (RFC 5626 6, 11.6).
    case firstHopLacksOutboundSupport
    /// 500: Call-ID/CSeq out of order for an existing binding (RFC 3261 10.3 steps 6 and 7).
    case outOfOrder(String)

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .tooManyContacts: 403
        case .notFound: 404
        case .badExtension: 420
        case .extensionRequired: 421
        case .intervalTooBrief: 423
        case .firstHopLacksOutboundSupport: 439
        case .outOfOrder: 500
        }
    }

    public var reasonPhrase: String {
        switch self {
        case .badRequest(let r): r
        case .tooManyContacts: "Too Many Contacts"
        case .notFound: "Not Found"
        case .badExtension: "Bad Extension"
        case .extensionRequired: "Extension Required"
        case .intervalTooBrief: "Interval Too Brief"
        case .firstHopLacksOutboundSupport: "First Hop Lacks Outbound Support"
        case .outOfOrder: "Server Internal Error"
        }
    }

    /// Header fields the error response must carry.
    public var headerFields: [(name: String, value: String)] {
        switch self {
        case .badExtension(let tags): [("Unsupported", tags.joined(separator: ", "))]
        case .extensionRequired(let tags): [("Require", tags.joined(separator: ", "))]
        case .intervalTooBrief(let m): [("Min-Expires", String(m))]
        default: []
        }
    }

    /// For logs: status and the detail behind it.
    public var description: String {
        switch self {
        case .notFound(let aor): "404 \(aor) is not in a local domain"
        case .outOfOrder(let why): "500 \(why)"
        case .tooManyContacts(let limit): "403 more than \(limit) contacts for one address-of-record"
        default: "\(status) \(reasonPhrase)"
        }
    }
}
