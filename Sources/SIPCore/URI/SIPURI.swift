/// A URI as SIP carries it (RFC 3261 19.1, RFC 3966, RFC 5118): `sip:` and
/// `sips:` and `tel:` in full; any other scheme kept as an absolute URI so
/// that a core can answer 416 (RFC 3261 8.2.2.1).
///
/// The URI keeps the bytes it was written as; components are ranges into
/// them and are unescaped when read, exactly once.
public struct SIPURI: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: Sendable, Hashable {
        case sip
        case sips
        case tel
        /// Any other scheme; `schemeName` tells which.
        case other
    }

    public enum HostKind: Sendable, Hashable {
        case name
        case ipv4
        case ipv6
        /// `tel:` and other schemes have no host.
        case none
    }

    let raw: ArraySlice<UInt8>
    let layout: Layout

    public var scheme: Scheme { layout.scheme }
    public var hostKind: HostKind { layout.hostKind }
    /// The port, if the URI names one.
    public var port: UInt16? { layout.port }
    var schemeRange: Range<Int> { raw.startIndex..<(raw.startIndex + Int(layout.schemeEnd)) }
    var userRange: Range<Int>? { layout.user?.range(raw.startIndex) }
    var passwordRange: Range<Int>? { layout.password?.range(raw.startIndex) }
    /// The host without IPv6 brackets.
    var hostRange: Range<Int> { layout.host.range(raw.startIndex) }
    /// `;param…` (leading semicolon included), possibly empty.
    var parametersRange: Range<Int> { layout.parameters.range(raw.startIndex) }
    /// After the `?`, if present.
    var headersRange: Range<Int>? { layout.headers?.range(raw.startIndex) }

    /// Where the components sit, as offsets from the URI's first byte: what
    /// parsing found, kept small (a name-addr holds one for its URI).
    struct Layout: Hashable, Sendable {
        let scheme: Scheme
        let hostKind: HostKind
        let port: UInt16?
        let schemeEnd: UInt16
        let user: Span?
        let password: Span?
        let host: Span
        let parameters: Span
        let headers: Span?
    }

    /// A URI over `raw` whose components `layout` gives, already checked.
    init(raw: ArraySlice<UInt8>, layout: Layout) {
        self.raw = raw
        self.layout = layout
    }

    /// The URI as written.
    public var description: String { raw.utf8String }
    /// The URI's bytes as written.
    public var bytes: ArraySlice<UInt8> { raw }

    public var schemeName: String { raw[schemeRange].utf8String.lowercased() }

    /// The user part (for `tel:` the telephone number), %-escapes decoded.
    public var user: String? { userRange.map { Self.unescape(raw[$0]) } }
    /// The user part exactly as written.
    public var rawUser: String? { userRange.map { raw[$0].utf8String } }
    public var password: String? { passwordRange.map { Self.unescape(raw[$0]) } }
    /// The host as written, without the brackets of an IPv6 reference; empty for `tel:`.
    public var host: String { raw[hostRange].utf8String }
    /// host[:port], with brackets around an IPv6 address.
    public var hostPort: String {
        var s = hostKind == .ipv6 ? "[\(host)]" : host
        if let port { s += ":\(port)" }
        return s
    }

    /// The URI parameters (`;transport=tcp;lr`).
    public var parameters: URIParameters { URIParameters(raw[parametersRange]) }
    /// The `transport` parameter, lowercased.
    public var transport: String? { parameters["transport"]?.lowercased() }
    /// Whether the `lr` parameter is present (RFC 3261 19.1.1, loose routing).
    public var isLooseRouter: Bool { parameters.contains("lr") }
    /// The `maddr` parameter.
    public var maddr: String? { parameters["maddr"] }
    /// `user=phone` and friends.
    public var userParameter: String? { parameters["user"] }

    /// The header part (`?h=v&…`) as name/value pairs, unescaped.
    public var headers: [(name: String, value: String)] {
        guard let headersRange else { return [] }
        var out: [(String, String)] = []
        for part in raw[headersRange].split(separator: ASCII.ampersand, omittingEmptySubsequences: true) {
            if let eq = part.firstIndex(of: ASCII.equals) {
                out.append((Self.unescape(part[part.startIndex..<eq]), Self.unescape(part[(eq + 1)...])))
            } else {
                out.append((Self.unescape(part), ""))
            }
        }
        return out
    }
    public var hasHeaders: Bool { headersRange != nil }

    /// For schemes other than sip/sips/tel, everything after the colon.
    public var opaquePart: String { raw[schemeRange.upperBound + 1..<raw.endIndex].utf8String }

    /// Parses a URI from text.
    public init(_ text: String) throws(SIPParseError) {
        try self.init(parsing: ArraySlice(text.utf8), context: .uri)
    }

    public static func == (a: SIPURI, b: SIPURI) -> Bool { a.raw == b.raw }
    public func hash(into h: inout Hasher) { h.combine(raw) }

    /// Decodes %HH escapes. Parsing has checked that every escape is well formed.
    static func unescape(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.contains(ASCII.percent) else { return bytes.utf8String }
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == ASCII.percent, i + 2 < bytes.endIndex, let h = ASCII.hexValue(bytes[i + 1]),
                let l = ASCII.hexValue(bytes[i + 2])
            {
                out.append(h << 4 | l)
                i += 3
            } else {
                out.append(bytes[i])
                i += 1
            }
        }
        return out.utf8String
    }
}

/// The `;name=value` parameters of a URI; names compare case-insensitively,
/// values are unescaped when read.
public struct URIParameters: Sequence, Sendable {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    public struct Iterator: IteratorProtocol {
        var rest: ArraySlice<UInt8>
        public mutating func next() -> (name: String, value: String?)? {
            guard let (n, v) = nextRaw() else { return nil }
            return (SIPURI.unescape(n), v.map { SIPURI.unescape($0) })
        }
        mutating func nextRaw() -> (ArraySlice<UInt8>, ArraySlice<UInt8>?)? {
            while let first = rest.first, first == ASCII.semicolon { rest = rest.dropFirst() }
            guard !rest.isEmpty else { return nil }
            let end = rest.firstIndex(of: ASCII.semicolon) ?? rest.endIndex
            let part = rest[rest.startIndex..<end]
            rest = rest[end...]
            if let eq = part.firstIndex(of: ASCII.equals) {
                return (part[part.startIndex..<eq], part[(eq + 1)...])
            }
            return (part, nil)
        }
    }

    public func makeIterator() -> Iterator { Iterator(rest: bytes) }

    func rawValue(_ lowercaseName: StaticString) -> ArraySlice<UInt8>?? {
        var it = makeIterator()
        while let (n, v) = it.nextRaw() {
            if n.equalsLowercase(lowercaseName) { return .some(v) }
        }
        return nil
    }

    /// The value of a parameter (nil if absent; empty for a parameter without value).
    public subscript(name: String) -> String? {
        var it = makeIterator()
        let lower = Array(name.utf8)
        while let (n, v) = it.nextRaw() {
            if SIPURI.unescape(n).utf8.elementsEqual(lower, by: { ASCII.lower($0) == ASCII.lower($1) }) {
                return v.map { SIPURI.unescape($0) } ?? ""
            }
        }
        return nil
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }
    public var isEmpty: Bool { bytes.isEmpty }
    /// The parameters as written, leading `;` included.
    public var text: String { bytes.utf8String }
}
