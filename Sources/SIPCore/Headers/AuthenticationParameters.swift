/// A challenge or credentials (RFC 3261 20.27, 20.44, 22.4; RFC 7616):
/// a scheme and comma-separated `name=value` parameters.
///
/// WWW-Authenticate, Proxy-Authenticate, Authorization and
/// Proxy-Authorization share this shape; digest parameters have accessors.
public struct AuthenticationParameters: Sendable, Hashable {
    /// `Digest`, as written.
    public let scheme: String
    /// Parameters in order, values unquoted.
    public let parameters: [Parameter]

    public struct Parameter: Sendable, Hashable {
        public let name: String
        public let value: String
        /// Whether the value was a quoted string.
        public let wasQuoted: Bool
    }

    public init(parsing raw: ArraySlice<UInt8>, header: HeaderName) throws(SIPParseError) {
        var params: [Parameter] = []
        let scheme = try Self.scan(raw, header: header) { name, value, quoted in
            params.append(Parameter(name: name.utf8String, value: QuotedString.unquote(value), wasQuoted: quoted))
        }
        self.scheme = scheme.utf8String
        parameters = params
    }

    /// Checks the syntax of a challenge or credentials without keeping
    /// anything: what `init(parsing:header:)` accepts, with no allocation.
    public static func check(_ raw: ArraySlice<UInt8>, header: HeaderName) throws(SIPParseError) {
        _ = try scan(raw, header: header) { _, _, _ in }
    }

    /// Walks `scheme [param *(, param)]`, handing each parameter's name, raw
    /// value (quotes included) and whether it was quoted to `visit`; returns the scheme.
    private static func scan(
        _ raw: ArraySlice<UInt8>, header: HeaderName,
        _ visit: (_ name: ArraySlice<UInt8>, _ value: ArraySlice<UInt8>, _ quoted: Bool) -> Void
    ) throws(SIPParseError) -> ArraySlice<UInt8> {
        var i = raw.startIndex
        let end = raw.endIndex
        let ss = i
        while i < end, ASCII.is(raw[i], .token) { i += 1 }
        guard i > ss else { throw .malformed(header, "missing scheme") }
        let scheme = raw[ss..<i]
        var first = true
        while true {
            while i < end, ASCII.isWhitespace(raw[i]) { i += 1 }
            if i == end { break }
            if !first {
                guard raw[i] == ASCII.comma else { throw .malformed(header, "expected , between parameters") }
                i += 1
                while i < end, ASCII.isWhitespace(raw[i]) { i += 1 }
            }
            first = false
            let ns = i
            while i < end, ASCII.is(raw[i], .token) { i += 1 }
            guard i > ns else { throw .malformed(header, "empty parameter") }
            let name = raw[ns..<i]
            while i < end, ASCII.isWhitespace(raw[i]) { i += 1 }
            guard i < end, raw[i] == ASCII.equals else {
                throw .malformed(header, "parameter \(name.utf8String) has no value")
            }
            i += 1
            while i < end, ASCII.isWhitespace(raw[i]) { i += 1 }
            let vs = i
            var quoted = false
            if i < end, raw[i] == ASCII.quote {
                i = try QuotedString.end(of: raw, at: i, header: header)
                quoted = true
            } else {
                while i < end, raw[i] != ASCII.comma, !ASCII.isWhitespace(raw[i]) { i += 1 }
            }
            visit(name, raw[vs..<i], quoted)
        }
        return scheme
    }

    public init(_ text: String, header: HeaderName = .authorization) throws(SIPParseError) {
        try self.init(parsing: ArraySlice(text.utf8), header: header)
    }

    /// A parameter's value by case-insensitive name.
    public subscript(name: String) -> String? {
        let lower = name.lowercased()
        return parameters.first { $0.name.lowercased() == lower }?.value
    }

    public var isDigest: Bool { scheme.lowercased() == "digest" }
    public var realm: String? { self["realm"] }
    public var nonce: String? { self["nonce"] }
    public var opaque: String? { self["opaque"] }
    /// The algorithm; RFC 7616 3.3 makes MD5 the default when absent.
    public var algorithm: String? { self["algorithm"] }
    /// `qop` options of a challenge (split at commas) or the chosen qop of credentials.
    public var qop: [String] {
        (self["qop"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: " \t") }.filter { !$0.isEmpty }
    }
    public var stale: Bool { self["stale"]?.lowercased() == "true" }
    public var username: String? { self["username"] }
    public var uri: String? { self["uri"] }
    public var response: String? { self["response"] }
    public var cnonce: String? { self["cnonce"] }
    /// Nonce count `nc` (8 hex digits).
    public var nonceCount: UInt32? { self["nc"].flatMap { UInt32($0, radix: 16) } }
}

extension Substring {
    func trimmingCharacters(in set: String) -> String {
        var s = self
        while let f = s.first, set.contains(f) { s = s.dropFirst() }
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

extension AuthenticationParameters {
    /// Walks challenges or credentials as `init(parsing:header:)` does, with
    /// the same syntax checks, but keeps no strings: each parameter's name
    /// and value (unquoted as `parameters` holds it) are handed to `visit` as
    /// slices of `raw`, except a quoted value with backslash escapes, which
    /// is copied. Returns the scheme. For hot paths (a registrar's digest check).
    public static func forEachParameter(
        in raw: ArraySlice<UInt8>, header: HeaderName, _ visit: (_ name: ArraySlice<UInt8>, _ value: ArraySlice<UInt8>) -> Void
    ) throws(SIPParseError) -> ArraySlice<UInt8> {
        try scan(raw, header: header) { name, value, _ in visit(name, QuotedString.unquotedBytes(value)) }
    }
}
