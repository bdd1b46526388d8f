/// The `;name=value` parameters after a header value (RFC 3261 25.1
/// `generic-param`), with white space allowed around `;` and `=`. Values
/// are tokens, hosts or quoted strings.
public struct HeaderParameters: Sequence, Sendable {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    /// One parameter as views into the bytes being scanned (valid only during the visit).
    struct RawParameter {
        var name: RawBytes
        var value: RawBytes?
        var nameRange: Range<Int> { name.startIndex..<name.endIndex }
        var valueRange: Range<Int>? { value.map { $0.startIndex..<$0.endIndex } }
    }

    /// Checks the whole parameter list against the grammar and calls `visit`
    /// for each parameter.
    static func scan(
        _ slice: ArraySlice<UInt8>, header: HeaderName, _ visit: (RawParameter) throws(SIPParseError) -> Void
    ) throws(SIPParseError) {
        try slice.withRawBytes { (bytes) throws(SIPParseError) in try scan(bytes, header: header, visit) }
    }

    static func scan(
        _ bytes: RawBytes, header: HeaderName, _ visit: (RawParameter) throws(SIPParseError) -> Void
    ) throws(SIPParseError) {
        var i = bytes.startIndex
        let end = bytes.endIndex
        while true {
            while i < end, ASCII.isWhitespace(bytes[i]) { i += 1 }
            if i == end { return }
            guard bytes[i] == ASCII.semicolon else {
                if bytes[i] == ASCII.comma, !header.isList { throw .badRequest("More than one \(header.canonicalName) value", header: header.canonicalName) }
                throw .malformed(header, "unexpected text in parameters")
            }
            i += 1
            while i < end, ASCII.isWhitespace(bytes[i]) { i += 1 }
            let ns = i
            while i < end, ASCII.is(bytes[i], .token) { i += 1 }
            guard i > ns else { throw .malformed(header, "empty parameter") }
            var p = RawParameter(name: bytes[ns..<i], value: nil)
            while i < end, ASCII.isWhitespace(bytes[i]) { i += 1 }
            if i < end, bytes[i] == ASCII.equals {
                i += 1
                while i < end, ASCII.isWhitespace(bytes[i]) { i += 1 }
                let vs = i
                if i < end, bytes[i] == ASCII.quote {
                    i = try QuotedString.end(of: bytes, at: i, header: header)
                } else {
                    while i < end, ASCII.is(bytes[i], .parameterValue) { i += 1 }
                }
                guard i > vs else { throw .malformed(header, "empty value for parameter \(p.name.utf8String)") }
                p.value = bytes[vs..<i]
            }
            try visit(p)
        }
    }

    public struct Iterator: IteratorProtocol {
        var items: [(String, String?)]
        var index = 0
        public mutating func next() -> (name: String, value: String?)? {
            guard index < items.count else { return nil }
            defer { index += 1 }
            return items[index]
        }
    }

    /// Parameters in order; quoted values are unquoted.
    public func makeIterator() -> Iterator {
        var items: [(String, String?)] = []
        try? Self.scan(bytes, header: .other) { p in
            items.append((bytes[p.nameRange].utf8String, p.valueRange.map { QuotedString.unquote(bytes[$0]) }))
        }
        return Iterator(items: items)
    }

    func raw(_ lowercaseName: StaticString) -> ArraySlice<UInt8>?? {
        var found: ArraySlice<UInt8>?? = nil
        try? Self.scan(bytes, header: .other) { p in
            if found == nil, p.name.equalsLowercase(lowercaseName) { found = .some(p.valueRange.map { bytes[$0] }) }
        }
        return found
    }

    /// The value of a parameter, unquoted: nil if absent, "" if present without a value.
    public subscript(name: String) -> String? {
        let lower = Array(name.lowercased().utf8)
        var found: String? = nil
        try? Self.scan(bytes, header: .other) { p in
            if found == nil, bytes[p.nameRange].equalsIgnoringCase(lower) { found = p.valueRange.map { QuotedString.unquote(bytes[$0]) } ?? "" }
        }
        return found
    }

    public func contains(_ name: String) -> Bool { self[name] != nil }
    public var isEmpty: Bool { bytes.trimmingWhitespace().isEmpty }
    /// The parameters as written.
    public var text: String { bytes.utf8String }
}

/// RFC 3261 25.1 quoted-string = SWS DQUOTE *(qdtext / quoted-pair) DQUOTE.
enum QuotedString {
    /// Index just past the closing quote of the quoted string starting at `start`.
    static func end(of slice: ArraySlice<UInt8>, at start: Int, header: HeaderName) throws(SIPParseError) -> Int {
        try slice.withRawBytes { (bytes) throws(SIPParseError) in try end(of: bytes, at: start, header: header) }
    }

    static func end(of bytes: RawBytes, at start: Int, header: HeaderName) throws(SIPParseError) -> Int {
        var i = start + 1
        while i < bytes.endIndex {
            while i < bytes.endIndex, ASCII.is(bytes[i], .quotedText) { i += 1 }
            guard i < bytes.endIndex else { break }
            let b = bytes[i]
            if b == ASCII.backslash {
                guard i + 1 < bytes.endIndex, bytes[i + 1] != ASCII.cr, bytes[i + 1] != ASCII.lf else {
                    throw .malformed(header, "bad quoted-pair")
                }
                i += 2
                continue
            }
            if b == ASCII.quote { return i + 1 }
            i += 1
        }
        throw .malformed(header, "unterminated quoted string")
    }

    /// Removes the quotes and quoted-pair backslashes; unquoted input is returned as is.
    static func unquote(_ bytes: ArraySlice<UInt8>) -> String { unquotedBytes(bytes).utf8String }

    /// The bytes `unquote` makes a string of: quotes and quoted-pair
    /// backslashes removed, unquoted input as is; a slice of `bytes` unless
    /// there were backslashes to take out.
    static func unquotedBytes(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        guard bytes.count >= 2, bytes[bytes.startIndex] == ASCII.quote, bytes[bytes.endIndex - 1] == ASCII.quote else { return bytes }
        let inner = bytes[(bytes.startIndex + 1)..<(bytes.endIndex - 1)]
        guard inner.withRawBytes({ $0.contains(ASCII.backslash) }) else { return inner }
        var out = [UInt8]()
        var i = inner.startIndex
        while i < inner.endIndex {
            if inner[i] == ASCII.backslash, i + 1 < inner.endIndex {
                out.append(inner[i + 1])
                i += 2
            } else {
                out.append(inner[i])
                i += 1
            }
        }
        return out[...]
    }
}
