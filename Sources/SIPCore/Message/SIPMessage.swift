/// A SIP request or response (RFC 3261 section 7): the bytes it arrived as,
/// plus an index of its start line, header fields and body.
///
/// Parsing builds only the index; typed headers are parsed when asked for.
/// Edits append new bytes after the original ones and re-point the index, so
/// serialization copies untouched lines as they came.
public struct SIPMessage: Sendable {
    /// The received bytes, followed by bytes appended by edits.
    var storage: [UInt8]
    public let isRequest: Bool
    /// Request: method. Response: version.
    var startA: Range<Int>
    /// Request: Request-URI. Response: status code digits.
    var startB: Range<Int>
    /// Request: version. Response: reason phrase.
    var startC: Range<Int>
    /// The original start line including its CRLF.
    let startLineRange: Range<Int>
    /// The status code of a response, 0 for requests.
    public let statusCode: Int
    /// The header index in message order.
    public internal(set) var headerFields: [HeaderField] {
        didSet {
            topViaCache = nil
            presentNames = HeaderNameSet(headerFields)
        }
    }
    /// Which well-known names `headerFields` holds.
    @usableFromInline var presentNames: HeaderNameSet
    /// The body, within `storage`.
    var bodyRange: Range<Int>
    /// The original message within `storage` (without leading CRLFs or ignored trailing octets).
    let messageRange: Range<Int>
    /// Octets after the Content-Length body in a datagram, ignored (RFC 3261 18.3).
    public let trailingBytes: Int
    var startLineEdited = false
    var headersEdited = false
    var bodyEdited = false
    /// The top Via once parsed by ``cacheTopVia()``; every edit clears it.
    var topViaCache: ParsedVia?

    /// Parses one message. A datagram's body ends at Content-Length and octets
    /// beyond it are ignored; a stream message must be exactly one message,
    /// as `StreamFramer` delivers it.
    public init(bytes: [UInt8], framing: SIPFraming = .datagram, limits: SIPParserLimits = SIPParserLimits()) throws(SIPParseError) {
        var scan = MessageScanner.Result()
        if let error = bytes.withUnsafeBufferPointer({ MessageScanner.scan($0, framing: framing, limits: limits, into: &scan) }) {
            throw error
        }
        self.init(storage: bytes, scan: scan)
    }

    private init(storage: [UInt8], scan: borrowing MessageScanner.Result) {
        self.storage = storage
        isRequest = scan.isRequest
        startA = scan.a
        startB = scan.b
        startC = scan.c
        startLineRange = scan.startLine
        statusCode = scan.status
        headerFields = scan.fields
        presentNames = scan.names
        bodyRange = scan.body
        messageRange = scan.message
        trailingBytes = scan.trailing
    }

    /// Parses a message given as text.
    public init(_ text: String, framing: SIPFraming = .datagram, limits: SIPParserLimits = SIPParserLimits()) throws(SIPParseError) {
        try self.init(bytes: Array(text.utf8), framing: framing, limits: limits)
    }

    // MARK: start line

    /// The request method; for a response, the method of its CSeq if that parses.
    public var method: SIPMethod {
        if isRequest { return SIPMethod(bytes: storage[startA]) }
        return (try? cseq().method) ?? SIPMethod("")
    }

    /// The Request-URI exactly as written.
    public var requestURIText: String { isRequest ? storage[startB].utf8String : "" }
    /// The Request-URI's bytes as written (empty for a response).
    public var requestURIBytes: ArraySlice<UInt8> { isRequest ? storage[startB] : [] }

    /// The parsed Request-URI (RFC 3261 7.1). Unknown schemes parse as absolute URIs.
    public func requestURI() throws(SIPParseError) -> SIPURI {
        guard isRequest else { throw .badRequest("Not a request") }
        return try SIPURI(parsing: storage[startB], context: .requestURI)
    }

    /// The SIP version as written (`SIP/2.0`).
    public var version: String { (isRequest ? storage[startC] : storage[startA]).utf8String }

    /// The reason phrase of a response, as UTF-8 text.
    public var reasonPhrase: String { isRequest ? "" : storage[startC].utf8String }

    /// The first line as written, without its line end.
    public var startLine: String {
        if startLineEdited { return renderedStartLine().dropLast(2).utf8String }
        var r = startLineRange
        while r.upperBound > r.lowerBound, storage[r.upperBound - 1] == ASCII.lf || storage[r.upperBound - 1] == ASCII.cr {
            r = r.lowerBound..<(r.upperBound - 1)
        }
        return storage[r].utf8String
    }

    // MARK: header access

    /// The raw value of a header field (folds included, outer white space trimmed).
    public func rawValue(of field: HeaderField) -> ArraySlice<UInt8> { storage[field.valueRange] }

    /// The value of a header field as text, each fold replaced by one space.
    public func value(of field: HeaderField) -> String {
        let raw = rawValue(of: field)
        guard raw.contains(ASCII.lf) else { return raw.utf8String }
        var out = [UInt8]()
        out.reserveCapacity(raw.count)
        var i = raw.startIndex
        while i < raw.endIndex {
            let b = raw[i]
            if b == ASCII.cr || b == ASCII.lf {
                while i < raw.endIndex, ASCII.isWhitespace(raw[i]) { i += 1 }
                out.append(ASCII.sp)
                continue
            }
            out.append(b)
            i += 1
        }
        return out.utf8String
    }

    /// The header's name as it was written (`v`, `CALL-ID`, `X-Custom`).
    public func writtenName(of field: HeaderField) -> String { storage[field.nameRange].utf8String }

    /// The first field with this name.
    @inlinable
    public func firstField(_ name: HeaderName) -> HeaderField? {
        guard presentNames.mayContain(name) else { return nil }
        for f in headerFields where f.name == name { return f }
        return nil
    }

    /// All fields with this name, in order.
    public func fields(_ name: HeaderName) -> [HeaderField] {
        headerFields.filter { $0.name == name }
    }

    /// All fields whose name matches `name` case-insensitively (or its compact/long form).
    public func fields(named name: String) -> [HeaderField] {
        let known = HeaderName(name)
        if known != .other { return fields(known) }
        let lower = Array(name.utf8)
        return headerFields.filter { $0.name == .other && storage[$0.nameRange].equalsIgnoringCase(lower) }
    }

    /// The values of every field with this name, list headers split at top-level commas.
    public func values(named name: String) -> [String] {
        var out: [String] = []
        for f in fields(named: name) {
            if f.name.isList {
                for element in ListSplitter(storage[f.valueRange]) { out.append(element.utf8String) }
            } else {
                out.append(value(of: f))
            }
        }
        return out
    }

    /// Calls `body` with each comma-separated element of every field named `name`, in order.
    func forEachElement<E: Error>(_ name: HeaderName, _ body: (ArraySlice<UInt8>) throws(E) -> Void) throws(E) {
        guard presentNames.mayContain(name) else { return }
        for f in headerFields where f.name == name {
            for element in ListSplitter(storage[f.valueRange]) { try body(element) }
        }
    }

    /// The message body (without ignored trailing octets).
    public var body: ArraySlice<UInt8> { storage[bodyRange] }
}
