/// A `name-addr` or `addr-spec` with header parameters: the value of From,
/// To, Contact, Route, Record-Route, P-Asserted-Identity, Refer-To, Path…
/// (RFC 3261 20.10, 20.20, 20.39, 25.1).
///
/// In addr-spec form (no angle brackets) the URI ends at the first `;`, and
/// the parameters belong to the header (RFC 3261 20).
public struct NameAddress: Sendable, Hashable {
    /// The value as written.
    public let raw: ArraySlice<UInt8>
    let uriSpan: Span
    let uriLayout: SIPURI.Layout
    let displayNameSpan: Span?
    let parametersSpan: Span
    /// Whether the URI was enclosed in `<…>`.
    public let isNameAddr: Bool

    /// The URI, without the angle brackets.
    public var uri: SIPURI { SIPURI(raw: raw[uriSpan.range(raw.startIndex)], layout: uriLayout) }
    var displayNameRange: Range<Int>? { displayNameSpan?.range(raw.startIndex) }
    var parametersRange: Range<Int> { parametersSpan.range(raw.startIndex) }

    /// The display name, unquoted, or nil when there is none.
    public var displayName: String? {
        displayNameRange.map { r in
            let d = raw[r]
            return d.first == ASCII.quote ? QuotedString.unquote(d) : d.utf8String
        }
    }
    public var parameters: HeaderParameters { HeaderParameters(raw[parametersRange]) }
    /// The `tag` parameter (RFC 3261 19.3).
    public var tag: String? { parameters.raw("tag").flatMap { $0 }.map { $0.utf8String } }
    /// Contact `expires` parameter (RFC 3261 20.10) in seconds; nil when absent.
    public var expires: UInt32? {
        guard let v = parameters.raw("expires").flatMap({ $0 }) else { return nil }
        return v.decimalValue().map { UInt32($0) }
    }
    /// Contact `q` parameter, 0…1.
    public var q: Double? { parameters["q"].flatMap { Double($0) } }

    /// The value as written, as text.
    public var text: String { raw.utf8String }

    public init(parsing raw: consuming ArraySlice<UInt8>, header: HeaderName) throws(SIPParseError) {
        guard raw.count <= Span.maxValueLength else { throw .malformed(header, "longer than \(Span.maxValueLength) octets") }
        let layout = try raw.withRawBytes { (bytes) throws(SIPParseError) in try Layout(bytes, header: header) }
        let uriLayout = try Self.uriLayout(raw, layout, header: header)
        let base = raw.startIndex
        self.init(
            raw: consume raw, uriSpan: Span(layout.uri, base: base), uriLayout: uriLayout, displayNameSpan: Span(layout.display, base: base),
            parametersSpan: Span(layout.parameters, base: base), isNameAddr: layout.isNameAddr)
    }

    private init(raw: ArraySlice<UInt8>, uriSpan: Span, uriLayout: SIPURI.Layout, displayNameSpan: Span?, parametersSpan: Span, isNameAddr: Bool) {
        self.raw = raw
        self.uriSpan = uriSpan
        self.uriLayout = uriLayout
        self.displayNameSpan = displayNameSpan
        self.parametersSpan = parametersSpan
        self.isNameAddr = isNameAddr
    }

    /// Parses the URI that `layout` found.
    @inline(__always)
    private static func uriLayout(_ raw: ArraySlice<UInt8>, _ layout: Layout, header: HeaderName) throws(SIPParseError) -> SIPURI.Layout {
        do {
            return try SIPURI.layout(of: raw[layout.uri], context: .header(header))
        } catch {
            // The URI in <> was found by its '>' alone; white space in it is the likelier mistake to name.
            if layout.isNameAddr, raw[layout.uri].contains(where: { $0 <= ASCII.sp }) { throw .malformed(header, "white space inside <>") }
            throw error
        }
    }

    /// Whether a From or To value carries a `tag` parameter (RFC 3261 19.3),
    /// found without parsing its URI; false when the value does not parse.
    static func hasTag(_ raw: ArraySlice<UInt8>, header: HeaderName) -> Bool {
        guard raw.count <= Span.maxValueLength else { return false }
        return raw.withRawBytes { bytes in
            guard let layout = try? Layout(bytes, header: header) else { return false }
            // As `tag` reads it: the first tag parameter, and only with a value.
            var found: Bool? = nil
            try? HeaderParameters.scan(bytes[layout.parameters], header: header) { p in
                if found == nil, p.name.equalsLowercase("tag") { found = p.value != nil }
            }
            return found ?? false
        }
    }

    /// Where display name, URI and parameters sit, found over raw bytes.
    private struct Layout {
        var display: Range<Int>?
        var uri: Range<Int>
        var parameters: Range<Int>
        var isNameAddr: Bool

        init(_ raw: RawBytes, header: HeaderName) throws(SIPParseError) {
            let end = raw.endIndex
            var i = raw.startIndex
            while i < end, ASCII.isWhitespace(raw[i]) { i += 1 }
            guard i < end else { throw .malformed(header, "empty value") }
            display = nil
            if raw[i] == ASCII.quote {
                // quoted-string display name, then LAQUOT.
                let close = try QuotedString.end(of: raw, at: i, header: header)
                display = i..<close
                i = close
                while i < end, ASCII.isWhitespace(raw[i]) { i += 1 }
                guard i < end, raw[i] == ASCII.lessThan else { throw .malformed(header, "expected < after display name") }
                uri = try NameAddress.angleURI(raw, at: i, header: header)
                isNameAddr = true
            } else if let lt = NameAddress.unquotedIndex(of: ASCII.lessThan, in: raw, from: i) {
                // *(token LWS) display name.
                var dEnd = lt
                while dEnd > i, ASCII.isWhitespace(raw[dEnd - 1]) { dEnd -= 1 }
                for j in i..<dEnd where !(ASCII.is(raw[j], .token) || ASCII.isWhitespace(raw[j])) {
                    throw .malformed(header, "display name has characters that need quoting")
                }
                display = dEnd > i ? i..<dEnd : nil
                uri = try NameAddress.angleURI(raw, at: lt, header: header)
                isNameAddr = true
            } else {
                // addr-spec: the URI runs to the first ';' or white space; it may not contain '?' or ','.
                var e = i
                while e < end, raw[e] != ASCII.semicolon, !ASCII.isWhitespace(raw[e]) {
                    if raw[e] == ASCII.question || raw[e] == ASCII.comma {
                        throw .malformed(header, "URI with headers or commas must be enclosed in <>")
                    }
                    e += 1
                }
                uri = i..<e
                isNameAddr = false
            }
            let paramsStart = isNameAddr ? uri.upperBound + 1 : uri.upperBound
            parameters = paramsStart..<end
            try HeaderParameters.scan(raw[paramsStart..<end], header: header) { _ in }
        }
    }

    public init(_ text: String, header: HeaderName = .to) throws(SIPParseError) {
        try self.init(parsing: ArraySlice(text.utf8), header: header)
    }

    /// Range of the URI between `<` at `lt` and its `>`; no white space allowed inside.
    /// Range of the URI between `<` at `lt` and its `>`. White space inside is
    /// left to the URI's grammar, which has no place for it.
    fileprivate static func angleURI(_ raw: RawBytes, at lt: Int, header: HeaderName) throws(SIPParseError) -> Range<Int> {
        guard let gt = raw.find(ASCII.greaterThan, from: lt + 1) else { throw .malformed(header, "missing >") }
        return (lt + 1)..<gt
    }

    fileprivate static func unquotedIndex(of byte: UInt8, in raw: RawBytes, from: Int) -> Int? {
        var inQuotes = false
        var i = from
        while i < raw.endIndex {
            let b = raw[i]
            if inQuotes, b == ASCII.backslash {
                i += 2
                continue
            }
            if b == ASCII.quote { inQuotes.toggle() } else if b == byte && !inQuotes { return i }
            i += 1
        }
        return nil
    }

    public static func == (a: NameAddress, b: NameAddress) -> Bool { a.raw == b.raw }
    public func hash(into h: inout Hasher) { h.combine(raw) }
}

/// The Contact header field's value: `*` (RFC 3261 10.2.2) or addresses.
public enum ContactValue: Sendable, Hashable {
    case star
    case addresses(HeaderValues<NameAddress>)
}
