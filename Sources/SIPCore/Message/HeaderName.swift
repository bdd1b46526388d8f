/// A header field name: one of the names Switchboard understands (compact
/// forms included) or any other token kept as written.
public struct HeaderName: Hashable, Sendable, CustomStringConvertible {
    /// Index into the well-known table; `0` for names Switchboard does not know.
    @usableFromInline let id: UInt8

    init(id: UInt8) { self.id = id }

    public var description: String { canonicalName }

    /// The long form with its usual capitalisation (`Call-ID`, `WWW-Authenticate`).
    public var canonicalName: String { HeaderName.known[Int(id)].name }

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
        let lower: [UInt8]
        let compact: UInt8?
        let list: Bool
        init(_ name: String, _ compact: Character? = nil, list: Bool = false) {
            self.name = name
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

    /// Names grouped by length for lookup: `byLength[n]` holds (lowercase bytes, id).
    static let byLength: [[(bytes: [UInt8], id: UInt8)]] = {
        var table = [[(bytes: [UInt8], id: UInt8)]](repeating: [], count: 32)
        for (i, e) in known.enumerated() where i > 0 {
            table[e.lower.count].append((e.lower, UInt8(i)))
        }
        return table
    }()

    /// Compact form letter → id.
    static let compactTable: [UInt8] = {
        var t = [UInt8](repeating: 0, count: 128)
        for (i, e) in known.enumerated() {
            if let c = e.compact { t[Int(c)] = UInt8(i); t[Int(ASCII.lower(c))] = UInt8(i) }
        }
        for c in UInt8(ascii: "A")...UInt8(ascii: "Z") where t[Int(c)] == 0 { t[Int(c)] = t[Int(c | 0x20)] }
        return t
    }()

    /// Looks up a header name from its bytes, case-insensitively; compact forms
    /// map to their long form.
    @inline(__always)
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> HeaderName {
        let n = bytes.count
        if n == 1 {
            let c = bytes[0]
            return c < 128 ? HeaderName(id: compactTable[Int(c)]) : .other
        }
        guard n < 32 else { return .other }
        let first = ASCII.lower(bytes[0])
        candidates: for (lower, id) in byLength[n] where lower[0] == first {
            for i in 1..<n where ASCII.lower(bytes[i]) != lower[i] { continue candidates }
            return HeaderName(id: id)
        }
        return .other
    }

    /// Looks up a header name given as a string (`"v"`, `"call-id"`, `"X-Custom"`).
    public init(_ name: String) {
        var s = name
        self = s.withUTF8 { HeaderName.lookup($0) }
    }
}
