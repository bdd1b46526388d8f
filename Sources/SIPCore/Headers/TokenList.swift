/// A comma-separated list of tokens across every field of one header name
/// (RFC 3261 7.3.1): Allow, Supported, Require, Proxy-Require, Unsupported.
///
/// Checked once when read from the message, then kept as the message's
/// bytes: iterating yields each token without building an array.
struct TokenList: Sendable {
    let storage: [UInt8]
    let fields: [HeaderField]
    let name: HeaderName
    /// The number of tokens (empty elements are not tokens).
    let count: Int

    /// An empty list.
    init() { self.init(storage: [], fields: [], name: .other, count: 0) }

    private init(storage: [UInt8], fields: [HeaderField], name: HeaderName, count: Int) {
        self.storage = storage
        self.fields = fields
        self.name = name
        self.count = count
    }

    /// Checks every field of `name` in `message`: tokens separated by commas,
    /// with linear white space around them; empty elements are skipped.
    init(_ message: borrowing SIPMessage, _ name: HeaderName, error: StaticString) throws(SIPParseError) {
        guard message.presentNames.mayContain(name) else {
            self.init()
            return
        }
        try self.init(storage: message.storage, fields: message.headerFields, name: name, error: error)
    }

    private init(storage: [UInt8], fields: [HeaderField], name: HeaderName, error: StaticString) throws(SIPParseError) {
        var n = 0
        for f in fields where f.name == name {
            n += try storage[f.valueRange].withRawBytes { (b) throws(SIPParseError) in try Self.check(b, name, error) }
        }
        self.init(storage: storage, fields: fields, name: name, count: n)
    }

    /// Counts the tokens of one value, rejecting anything but tokens, commas and LWS.
    private static func check(_ b: RawBytes, _ name: HeaderName, _ error: StaticString) throws(SIPParseError) -> Int {
        var n = 0
        var i = b.startIndex
        let end = b.endIndex
        while true {
            while i < end, ASCII.isWhitespace(b[i]) { i += 1 }
            let s = i
            while i < end, ASCII.is(b[i], .token) { i += 1 }
            if i > s { n += 1 }
            while i < end, ASCII.isWhitespace(b[i]) { i += 1 }
            if i == end { return n }
            guard b[i] == ASCII.comma else { throw .malformed(name, "\(error)") }
            i += 1
        }
    }

    struct Iterator: IteratorProtocol {
        let list: TokenList
        var field = 0
        var position = 0
        var end = 0

        init(_ list: TokenList) {
            self.list = list
            field = -1
        }

        /// The next token's bytes.
        mutating func next() -> ArraySlice<UInt8>? {
            while true {
                if field >= 0, let token = nextInField() { return token }
                field += 1
                while field < list.fields.count, list.fields[field].name != list.name { field += 1 }
                guard field < list.fields.count else { return nil }
                let r = list.fields[field].valueRange
                position = r.lowerBound
                end = r.upperBound
            }
        }

        private mutating func nextInField() -> ArraySlice<UInt8>? {
            let (s, e, next) = list.storage[position..<end].withRawBytes { b in
                var i = b.startIndex
                while i < b.endIndex {
                    while i < b.endIndex, ASCII.isWhitespace(b[i]) || b[i] == ASCII.comma { i += 1 }
                    let s = i
                    while i < b.endIndex, ASCII.is(b[i], .token) { i += 1 }
                    if i > s { return (s, i, i) }
                }
                return (i, i, i)
            }
            position = next
            return e > s ? list.storage[s..<e] : nil
        }
    }

    func makeIterator() -> Iterator { Iterator(self) }
}

/// The option tags of Supported, Require, Proxy-Require or Unsupported
/// (RFC 3261 19.2), in order, compared exactly as written.
public struct OptionTags: Sequence, Sendable, Equatable {
    private let list: TokenList

    init(_ list: TokenList) { self.list = list }

    /// No option tags.
    public init() { list = TokenList() }

    public var count: Int { list.count }
    public var isEmpty: Bool { list.count == 0 }
    public var underestimatedCount: Int { list.count }

    /// Whether `tag` is listed, compared byte for byte.
    public func contains(_ tag: String) -> Bool {
        var it = list.makeIterator()
        while let t = it.next() { if t.elementsEqual(tag.utf8) { return true } }
        return false
    }

    public struct Iterator: IteratorProtocol {
        fileprivate var tokens: TokenList.Iterator
        public mutating func next() -> String? { tokens.next()?.utf8String }
    }

    public func makeIterator() -> Iterator { Iterator(tokens: list.makeIterator()) }

    public static func == (a: OptionTags, b: OptionTags) -> Bool { a.elementsEqual(b) }
}

/// The methods of an Allow header (RFC 3261 20.5), in order.
public struct AllowedMethods: Sequence, Sendable, Equatable {
    private let list: TokenList

    init(_ list: TokenList) { self.list = list }

    public var count: Int { list.count }
    public var isEmpty: Bool { list.count == 0 }
    public var underestimatedCount: Int { list.count }

    /// Whether `method` is listed (methods compare case-sensitively, RFC 3261 7.1).
    public func contains(_ method: SIPMethod) -> Bool {
        var it = list.makeIterator()
        while let t = it.next() { if t.elementsEqual(method.rawValue.utf8) { return true } }
        return false
    }

    public struct Iterator: IteratorProtocol {
        fileprivate var tokens: TokenList.Iterator
        public mutating func next() -> SIPMethod? { tokens.next().map { SIPMethod(bytes: $0) } }
    }

    public func makeIterator() -> Iterator { Iterator(tokens: list.makeIterator()) }

    public static func == (a: AllowedMethods, b: AllowedMethods) -> Bool { a.elementsEqual(b) }
}
