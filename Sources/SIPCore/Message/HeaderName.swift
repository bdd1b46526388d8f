/// A header field name: one of the names Switchboard understands (compact
/// forms included) or any other token kept as written.
public struct HeaderName: Hashable, Sendable, CustomStringConvertible {
    /// Index into the well-known table; `0` for names Switchboard does not know.
    @usableFromInline let id: UInt8

    init(id: UInt8) { self.id = id }

    public var description: String { canonicalName }

    /// The long form with its usual capitalisation (`Call-ID`, `WWW-Authenticate`).
    public var canonicalName: String { HeaderName.known[Int(id)].name }

    /// `canonicalName`'s bytes, without making a string.
    var canonicalNameBytes: UnsafeBufferPointer<UInt8> {
        let literal = HeaderName.known[Int(id)].literal
        return UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    /// The compact form of RFC 3261 section 7.3.3 and later RFCs, if the header has one.
    public var compactForm: Character? { HeaderName.known[Int(id)].compact.map { Character(Unicode.Scalar($0)) } }

    /// Whether the header's grammar is a comma-separated list (RFC 3261 7.3.1),
    /// so that several values may share one line.
    public var isList: Bool { HeaderName.known[Int(id)].list }

    public static let other = HeaderName(id: 0)
    public static let via = HeaderName(id: 1)
    public static let from = HeaderName(id: 2)
    public static let to = HeaderName(id: 3)
    public static let callID = HeaderName(id: 4)
    public static let cseq = HeaderName(id: 5)
    public static let maxForwards = HeaderName(id: 6)
    public static let contentLength = HeaderName(id: 7)
    public static let contentType = HeaderName(id: 8)
    public static let contact = HeaderName(id: 9)
    public static let route = HeaderName(id: 10)
    public static let recordRoute = HeaderName(id: 11)
    public static let expires = HeaderName(id: 12)
    public static let require = HeaderName(id: 13)
    public static let proxyRequire = HeaderName(id: 14)
    public static let supported = HeaderName(id: 15)
    public static let unsupported = HeaderName(id: 16)
    public static let allow = HeaderName(id: 17)
    public static let wwwAuthenticate = HeaderName(id: 18)
    public static let proxyAuthenticate = HeaderName(id: 19)
    public static let authorization = HeaderName(id: 20)
    public static let proxyAuthorization = HeaderName(id: 21)
    public static let pAssertedIdentity = HeaderName(id: 22)
    public static let reason = HeaderName(id: 23)
    public static let retryAfter = HeaderName(id: 24)
    public static let geolocation = HeaderName(id: 25)
    public static let subject = HeaderName(id: 26)
    public static let contentEncoding = HeaderName(id: 27)
    public static let event = HeaderName(id: 28)
    public static let allowEvents = HeaderName(id: 29)
    public static let referTo = HeaderName(id: 30)
    public static let referredBy = HeaderName(id: 31)
    public static let date = HeaderName(id: 32)
    public static let minExpires = HeaderName(id: 33)
    public static let userAgent = HeaderName(id: 34)
    public static let server = HeaderName(id: 35)
    public static let accept = HeaderName(id: 36)
    public static let sessionExpires = HeaderName(id: 37)
    public static let identity = HeaderName(id: 38)
    public static let acceptContact = HeaderName(id: 39)
    public static let rejectContact = HeaderName(id: 40)
    public static let requestDisposition = HeaderName(id: 41)
    public static let identityInfo = HeaderName(id: 42)
    public static let pPreferredIdentity = HeaderName(id: 43)
    public static let geolocationRouting = HeaderName(id: 44)
    public static let geolocationError = HeaderName(id: 45)
    public static let path = HeaderName(id: 46)
    public static let serviceRoute = HeaderName(id: 47)
    public static let authenticationInfo = HeaderName(id: 48)
    public static let contentDisposition = HeaderName(id: 49)
    public static let minSE = HeaderName(id: 50)
    public static let privacy = HeaderName(id: 51)
    public static let warning = HeaderName(id: 52)
    public static let timestamp = HeaderName(id: 53)
    public static let acceptEncoding = HeaderName(id: 54)
    public static let acceptLanguage = HeaderName(id: 55)
    public static let rseq = HeaderName(id: 56)
    public static let rack = HeaderName(id: 57)
    public static let errorInfo = HeaderName(id: 58)
    public static let callInfo = HeaderName(id: 59)
    public static let alertInfo = HeaderName(id: 60)

    struct Entry: Sendable {
        let name: String
        /// The same name as static bytes, for writers that copy it.
        let literal: StaticString
        let lower: [UInt8]
        let compact: UInt8?
        let list: Bool
        init(_ literal: StaticString, _ compact: Character? = nil, list: Bool = false) {
            let name = literal.description
            self.name = name
            self.literal = literal
            self.lower = Array(name.lowercased().utf8)
            self.compact = compact.map { $0.asciiValue! }
            self.list = list
        }
    }

    static let known: [Entry] = [
        Entry(""),
        Entry("Via", "v", list: true),
        Entry("From", "f"),
        Entry("To", "t"),
        Entry("Call-ID", "i"),
        Entry("CSeq"),
        Entry("Max-Forwards"),
        Entry("Content-Length", "l"),
        Entry("Content-Type", "c"),
        Entry("Contact", "m", list: true),
        Entry("Route", list: true),
        Entry("Record-Route", list: true),
        Entry("Expires"),
        Entry("Require", list: true),
        Entry("Proxy-Require", list: true),
        Entry("Supported", "k", list: true),
        Entry("Unsupported", list: true),
        Entry("Allow", list: true),
        Entry("WWW-Authenticate"),
        Entry("Proxy-Authenticate"),
        Entry("Authorization"),
        Entry("Proxy-Authorization"),
        Entry("P-Asserted-Identity", list: true),
        Entry("Reason", list: true),
        Entry("Retry-After"),
        Entry("Geolocation", list: true),
        Entry("Subject", "s"),
        Entry("Content-Encoding", "e", list: true),
        Entry("Event", "o"),
        Entry("Allow-Events", "u", list: true),
        Entry("Refer-To", "r"),
        Entry("Referred-By", "b"),
        Entry("Date"),
        Entry("Min-Expires"),
        Entry("User-Agent"),
        Entry("Server"),
        Entry("Accept", list: true),
        Entry("Session-Expires", "x"),
        Entry("Identity", "y"),
        Entry("Accept-Contact", "a", list: true),
        Entry("Reject-Contact", "j", list: true),
        Entry("Request-Disposition", "d", list: true),
        Entry("Identity-Info", "n"),
        Entry("P-Preferred-Identity", list: true),
        Entry("Geolocation-Routing"),
        Entry("Geolocation-Error"),
        Entry("Path", list: true),
        Entry("Service-Route", list: true),
        Entry("Authentication-Info"),
        Entry("Content-Disposition"),
        Entry("Min-SE"),
        Entry("Privacy", list: true),
        Entry("Warning", list: true),
        Entry("Timestamp"),
        Entry("Accept-Encoding", list: true),
        Entry("Accept-Language", list: true),
        Entry("RSeq"),
        Entry("RAck"),
        Entry("Error-Info", list: true),
        Entry("Call-Info", list: true),
        Entry("Alert-Info", list: true),
    ]

    /// Looks up a header name from its bytes, case-insensitively; compact
    /// forms map to their long form. A switch on length and first letter, then
    /// one comparison: no tables, no hashing.
    @inline(__always)
    static func lookup(_ b: UnsafeBufferPointer<UInt8>) -> HeaderName {
        let n = b.count
        guard n > 0 else { return .other }
        // Header names are tokens, so `| 0x20` lowercases letters and changes
        // no other token character into a letter or '-'.
        let first = b[0] | 0x20
        if n == 1 {
            switch first {
            case 0x61: return .acceptContact
            case 0x62: return .referredBy
            case 0x63: return .contentType
            case 0x64: return .requestDisposition
            case 0x65: return .contentEncoding
            case 0x66: return .from
            case 0x69: return .callID
            case 0x6a: return .rejectContact
            case 0x6b: return .supported
            case 0x6c: return .contentLength
            case 0x6d: return .contact
            case 0x6e: return .identityInfo
            case 0x6f: return .event
            case 0x72: return .referTo
            case 0x73: return .subject
            case 0x74: return .to
            case 0x75: return .allowEvents
            case 0x76: return .via
            case 0x78: return .sessionExpires
            case 0x79: return .identity
            default: return .other
            }
        }
        switch n &<< 8 | Int(first) {
        case 0x0274:
            if b.equalsLowercaseToken("to") { return .to }
        case 0x0376:
            if b.equalsLowercaseToken("via") { return .via }
        case 0x0463:
            if b.equalsLowercaseToken("cseq") { return .cseq }
        case 0x0464:
            if b.equalsLowercaseToken("date") { return .date }
        case 0x0466:
            if b.equalsLowercaseToken("from") { return .from }
        case 0x0470:
            if b.equalsLowercaseToken("path") { return .path }
        case 0x0472:
            if b.equalsLowercaseToken("rseq") { return .rseq }
            if b.equalsLowercaseToken("rack") { return .rack }
        case 0x0561:
            if b.equalsLowercaseToken("allow") { return .allow }
        case 0x0565:
            if b.equalsLowercaseToken("event") { return .event }
        case 0x0572:
            if b.equalsLowercaseToken("route") { return .route }
        case 0x0661:
            if b.equalsLowercaseToken("accept") { return .accept }
        case 0x066d:
            if b.equalsLowercaseToken("min-se") { return .minSE }
        case 0x0672:
            if b.equalsLowercaseToken("reason") { return .reason }
        case 0x0673:
            if b.equalsLowercaseToken("server") { return .server }
        case 0x0763:
            if b.equalsLowercaseToken("call-id") { return .callID }
            if b.equalsLowercaseToken("contact") { return .contact }
        case 0x0765:
            if b.equalsLowercaseToken("expires") { return .expires }
        case 0x0770:
            if b.equalsLowercaseToken("privacy") { return .privacy }
        case 0x0772:
            if b.equalsLowercaseToken("require") { return .require }
        case 0x0773:
            if b.equalsLowercaseToken("subject") { return .subject }
        case 0x0777:
            if b.equalsLowercaseToken("warning") { return .warning }
        case 0x0869:
            if b.equalsLowercaseToken("identity") { return .identity }
        case 0x0872:
            if b.equalsLowercaseToken("refer-to") { return .referTo }
        case 0x0963:
            if b.equalsLowercaseToken("call-info") { return .callInfo }
        case 0x0973:
            if b.equalsLowercaseToken("supported") { return .supported }
        case 0x0974:
            if b.equalsLowercaseToken("timestamp") { return .timestamp }
        case 0x0a61:
            if b.equalsLowercaseToken("alert-info") { return .alertInfo }
        case 0x0a65:
            if b.equalsLowercaseToken("error-info") { return .errorInfo }
        case 0x0a75:
            if b.equalsLowercaseToken("user-agent") { return .userAgent }
        case 0x0b67:
            if b.equalsLowercaseToken("geolocation") { return .geolocation }
        case 0x0b6d:
            if b.equalsLowercaseToken("min-expires") { return .minExpires }
        case 0x0b72:
            if b.equalsLowercaseToken("retry-after") { return .retryAfter }
            if b.equalsLowercaseToken("referred-by") { return .referredBy }
        case 0x0b75:
            if b.equalsLowercaseToken("unsupported") { return .unsupported }
        case 0x0c61:
            if b.equalsLowercaseToken("allow-events") { return .allowEvents }
        case 0x0c63:
            if b.equalsLowercaseToken("content-type") { return .contentType }
        case 0x0c6d:
            if b.equalsLowercaseToken("max-forwards") { return .maxForwards }
        case 0x0c72:
            if b.equalsLowercaseToken("record-route") { return .recordRoute }
        case 0x0d61:
            if b.equalsLowercaseToken("authorization") { return .authorization }
        case 0x0d69:
            if b.equalsLowercaseToken("identity-info") { return .identityInfo }
        case 0x0d70:
            if b.equalsLowercaseToken("proxy-require") { return .proxyRequire }
        case 0x0d73:
            if b.equalsLowercaseToken("service-route") { return .serviceRoute }
        case 0x0e61:
            if b.equalsLowercaseToken("accept-contact") { return .acceptContact }
        case 0x0e63:
            if b.equalsLowercaseToken("content-length") { return .contentLength }
        case 0x0e72:
            if b.equalsLowercaseToken("reject-contact") { return .rejectContact }
        case 0x0f61:
            if b.equalsLowercaseToken("accept-encoding") { return .acceptEncoding }
            if b.equalsLowercaseToken("accept-language") { return .acceptLanguage }
        case 0x0f73:
            if b.equalsLowercaseToken("session-expires") { return .sessionExpires }
        case 0x1063:
            if b.equalsLowercaseToken("content-encoding") { return .contentEncoding }
        case 0x1077:
            if b.equalsLowercaseToken("www-authenticate") { return .wwwAuthenticate }
        case 0x1167:
            if b.equalsLowercaseToken("geolocation-error") { return .geolocationError }
        case 0x1270:
            if b.equalsLowercaseToken("proxy-authenticate") { return .proxyAuthenticate }
        case 0x1361:
            if b.equalsLowercaseToken("authentication-info") { return .authenticationInfo }
        case 0x1363:
            if b.equalsLowercaseToken("content-disposition") { return .contentDisposition }
        case 0x1367:
            if b.equalsLowercaseToken("geolocation-routing") { return .geolocationRouting }
        case 0x1370:
            if b.equalsLowercaseToken("proxy-authorization") { return .proxyAuthorization }
            if b.equalsLowercaseToken("p-asserted-identity") { return .pAssertedIdentity }
        case 0x1372:
            if b.equalsLowercaseToken("request-disposition") { return .requestDisposition }
        case 0x1470:
            if b.equalsLowercaseToken("p-preferred-identity") { return .pPreferredIdentity }
        default: break
        }
        return .other
    }

    /// Looks up a header name given as a string (`"v"`, `"call-id"`, `"X-Custom"`).
    public init(_ name: String) {
        var s = name
        self = s.withUTF8 { HeaderName.lookup($0) }
    }
}
