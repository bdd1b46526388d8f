/// CSeq = 1*DIGIT LWS Method (RFC 3261 20.16); the number is below 2^31 (8.1.1.5).
public struct CSeq: Sendable, Hashable, CustomStringConvertible {
    public var sequence: UInt32
    public var method: SIPMethod

    public init(sequence: UInt32, method: SIPMethod) {
        self.sequence = sequence
        self.method = method
    }

    public init(parsing raw: ArraySlice<UInt8>) throws(SIPParseError) {
        let (n, methodRange) = try raw.withRawBytes { (b) throws(SIPParseError) -> (UInt64, Range<Int>) in
            var i = b.startIndex
            let end = b.endIndex
            let ds = i
            while i < end, b[i] &- 0x30 < 10 { i += 1 }
            guard i > ds else { throw .malformed(.cseq, "missing sequence number") }
            guard let n = b[ds..<i].decimalValue(limit: UInt64(Int32.max)) else {
                throw .malformed(.cseq, "sequence number not below 2**31")
            }
            let ws = i
            while i < end, ASCII.isWhitespace(b[i]) { i += 1 }
            guard i > ws else { throw .malformed(.cseq, "missing method") }
            let ms = i
            while i < end, ASCII.is(b[i], .token) { i += 1 }
            guard i > ms, i == end else { throw .malformed(.cseq, "malformed method") }
            return (n, ms..<i)
        }
        sequence = UInt32(n)
        method = SIPMethod(bytes: raw[methodRange])
    }

    public var description: String { "\(sequence) \(method)" }
}

/// A MIME media type (RFC 3261 20.15 Content-Type, 20.1 Accept): type/subtype;params.
public struct MediaType: Sendable, Hashable, CustomStringConvertible {
    let raw: ArraySlice<UInt8>
    let typeRange: Range<Int>
    let subtypeRange: Range<Int>
    var rawParameters: ArraySlice<UInt8> { raw[subtypeRange.upperBound...] }

    public var type: String { raw[typeRange].utf8String }
    public var subtype: String { raw[subtypeRange].utf8String }

    public var parameters: HeaderParameters { HeaderParameters(rawParameters) }
    public var description: String { "\(type)/\(subtype)\(rawParameters.utf8String)" }

    /// Compares type and subtype case-insensitively, e.g. `is("application", "sdp")`.
    public func `is`(_ type: String, _ subtype: String) -> Bool {
        raw[typeRange].equalsIgnoringCase(type.utf8) && raw[subtypeRange].equalsIgnoringCase(subtype.utf8)
    }

    public static func == (a: MediaType, b: MediaType) -> Bool { a.raw == b.raw }
    public func hash(into h: inout Hasher) { h.combine(raw) }

    public init(parsing raw: consuming ArraySlice<UInt8>, header: HeaderName = .contentType) throws(SIPParseError) {
        let (type, subtype) = try raw.withRawBytes { (b) throws(SIPParseError) -> (Range<Int>, Range<Int>) in
            var i = b.startIndex
            let end = b.endIndex
            let ts = i
            while i < end, ASCII.is(b[i], .token) { i += 1 }
            let te = i
            while i < end, ASCII.isWhitespace(b[i]) { i += 1 }
            guard te > ts, i < end, b[i] == ASCII.slash else { throw .malformed(header, "expected type/subtype") }
            i += 1
            while i < end, ASCII.isWhitespace(b[i]) { i += 1 }
            let ss = i
            while i < end, ASCII.is(b[i], .token) { i += 1 }
            guard i > ss else { throw .malformed(header, "expected type/subtype") }
            try HeaderParameters.scan(b[i..<end], header: header) { _ in }
            return (ts..<te, ss..<i)
        }
        typeRange = type
        subtypeRange = subtype
        self.raw = consume raw
    }

    public init(_ text: String) throws(SIPParseError) { try self.init(parsing: ArraySlice(text.utf8)) }

    public static let sdp = try! MediaType("application/sdp")
}
