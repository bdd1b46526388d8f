/// Responses a server makes to a request it received (RFC 3261 8.2.6).
extension SIPMessage {
    /// A response to this request with the headers RFC 3261 8.2.6.2 copies
    /// (Via, From, To with a tag when given, Call-ID, CSeq), and Content-Length 0.
    ///
    /// The bytes are written once and the header index is built as they are
    /// written, by the parser's own rules, so the response is the message that
    /// parsing its serialization gives, without a text round trip.
    public func makeResponse(status: Int, reason: String, toTag: String? = nil, extraHeaders: [(String, String)] = []) -> SIPMessage {
        // The exact size when values are copied as they are: the response is kept until Timer J.
        var capacity = 14 + reason.utf8.count + 19 + 2
        for f in headerFields where f.name.isCopiedIntoResponse {
            capacity += f.name.canonicalNameBytes.count + 4 + Int(f.valueEnd - f.valueStart)
        }
        for (n, v) in extraHeaders { capacity += n.utf8.count + v.utf8.count + 4 }
        if let toTag { capacity += toTag.utf8.count + 5 }
        var out = ResponseWriter(capacity: capacity)
        out.statusLine(status: status, reason: reason)
        for f in headerFields where f.name == .via || f.name == .from || f.name == .callID || f.name == .cseq {
            out.copy(f, of: self)
        }
        if let to = firstField(.to) {
            let tag = toTag != nil && !NameAddress.hasTag(rawValue(of: to), header: .to) ? toTag : nil
            out.copy(to, of: self, appendingTag: tag)
        }
        for (n, v) in extraHeaders { out.field(HeaderName(n), name: n, value: v) }
        out.field(.contentLength, name: "Content-Length", value: "0")
        return out.message()
    }

    /// Whether a field's raw value is what `value(of:)` gives: plain ASCII on
    /// one line (no fold to make a space, no invalid UTF-8 to replace).
    fileprivate func isCopiedAsWritten(_ field: HeaderField) -> Bool {
        rawValue(of: field).withRawBytes { b in
            for i in b.startIndex..<b.endIndex where b[i] >= 0x80 || b[i] == ASCII.lf { return false }
            return true
        }
    }

    /// A response whose index was built while its bytes were written (`ResponseWriter`).
    fileprivate init(writtenResponse bytes: [UInt8], status: Int, reason: Range<Int>, startLine: Range<Int>, fields: [HeaderField]) {
        storage = bytes
        isRequest = false
        startA = 0..<7
        startB = 8..<11
        startC = reason
        startLineRange = startLine
        statusCode = status
        headerFields = fields
        presentNames = HeaderNameSet(fields)
        bodyRange = bytes.count..<bytes.count
        messageRange = 0..<bytes.count
        trailingBytes = 0
    }
}

extension HeaderName {
    /// Via, From, To, Call-ID, CSeq: what RFC 3261 8.2.6.2 copies into a response.
    fileprivate var isCopiedIntoResponse: Bool {
        self == .via || self == .from || self == .to || self == .callID || self == .cseq
    }
}

/// Writes a response's bytes and its header index together. Each field's
/// index entry follows `MessageScanner`'s rules (value trimmed of white
/// space, name looked up the same way); whatever those rules would read
/// differently (a line feed inside a value, a name that is not a token, a
/// status outside 100–699, a message past the parser's limits) makes the
/// writer parse its bytes instead, so the result is always what parsing gives.
private struct ResponseWriter {
    var bytes: [UInt8] = []
    var fields: [HeaderField] = []
    var status = 0
    var reason = 0..<0
    var startLine = 0..<0
    /// Whether the index built so far is the one the parser would build.
    var indexed = true

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
        fields.reserveCapacity(8)
    }

    /// `SIP/2.0 SP Status-Code SP Reason-Phrase CRLF`, control characters of the phrase made spaces.
    mutating func statusLine(status: Int, reason phrase: String) {
        self.status = status
        bytes.append(contentsOf: "SIP/2.0 ".utf8)
        if (100...699).contains(status) {
            bytes.append(0x30 + UInt8(status / 100))
            bytes.append(0x30 + UInt8(status / 10 % 10))
            bytes.append(0x30 + UInt8(status % 10))
        } else {
            bytes.append(contentsOf: String(status).utf8)
            indexed = false
        }
        bytes.append(ASCII.sp)
        let start = bytes.count
        for b in phrase.utf8 { bytes.append(b < 0x20 || b == 0x7F ? ASCII.sp : b) }
        reason = start..<bytes.count
        bytes.append(ASCII.cr)
        bytes.append(ASCII.lf)
        startLine = 0..<bytes.count
    }

    /// A field of the request under its canonical name, with its value as
    /// `value(of:)` gives it, and `;tag=` added when asked.
    mutating func copy(_ field: HeaderField, of message: SIPMessage, appendingTag tag: String? = nil) {
        let lineStart = bytes.count
        bytes.append(contentsOf: field.name.canonicalNameBytes)
        let nameEnd = bytes.count
        bytes.append(ASCII.colon)
        bytes.append(ASCII.sp)
        if message.isCopiedAsWritten(field) {
            bytes.append(contentsOf: message.rawValue(of: field))
        } else {
            bytes.append(contentsOf: message.value(of: field).utf8)
        }
        if let tag {
            bytes.append(contentsOf: ";tag=".utf8)
            appendValue(tag.utf8)
        }
        endField(field.name, lineStart: lineStart, nameEnd: nameEnd)
    }

    /// `name: value CRLF`, indexed as `MessageScanner` indexes it.
    mutating func field(_ known: HeaderName, name: String, value: String) {
        let lineStart = bytes.count
        bytes.append(contentsOf: name.utf8)
        let nameEnd = bytes.count
        if nameEnd == lineStart || bytes[lineStart..<nameEnd].contains(where: { !ASCII.is($0, .token) }) { indexed = false }
        bytes.append(ASCII.colon)
        bytes.append(ASCII.sp)
        appendValue(value.utf8)
        endField(known, lineStart: lineStart, nameEnd: nameEnd)
    }

    /// Value bytes given by a caller: a line feed in them is a new line or a fold to the parser.
    private mutating func appendValue(_ value: String.UTF8View) {
        let start = bytes.count
        bytes.append(contentsOf: value)
        if bytes[start...].contains(ASCII.lf) { indexed = false }
    }

    /// The line end, and the field's index entry: the value trimmed of white space as the scanner trims it.
    private mutating func endField(_ known: HeaderName, lineStart: Int, nameEnd: Int) {
        bytes.append(ASCII.cr)
        bytes.append(ASCII.lf)
        let lineEnd = bytes.count
        var vs = nameEnd + 1
        while vs < lineEnd, ASCII.isWhitespace(bytes[vs]) { vs += 1 }
        var ve = lineEnd
        while ve > vs, ASCII.isWhitespace(bytes[ve - 1]) { ve -= 1 }
        fields.append(
            HeaderField(
                name: known, lineStart: Int32(lineStart), nameEnd: Int32(nameEnd), valueStart: Int32(vs), valueEnd: Int32(ve),
                lineEnd: Int32(lineEnd)))
    }

    /// The blank line ends the header; there is no body.
    mutating func message() -> SIPMessage {
        bytes.append(ASCII.cr)
        bytes.append(ASCII.lf)
        let limits = SIPParserLimits()
        guard indexed, fields.count <= limits.maxHeaders, bytes.count <= limits.maxMessageSize else {
            // Built from fields this message already parsed and values its callers make; it parses.
            return try! SIPMessage(bytes: bytes)
        }
        return SIPMessage(writtenResponse: bytes, status: status, reason: reason, startLine: startLine, fields: fields)
    }
}
