/// One header field line of a message: where its name and value sit in the
/// message's bytes. Folded values span several physical lines; the value
/// range covers them and typed parsers treat the folds as white space.
public struct HeaderField: Sendable, Hashable {
    public let name: HeaderName
    let lineStart: Int32
    let nameEnd: Int32
    let valueStart: Int32
    let valueEnd: Int32
    /// End of the line, after its CRLF.
    let lineEnd: Int32

    var valueRange: Range<Int> { Int(valueStart)..<Int(valueEnd) }
    var nameRange: Range<Int> { Int(lineStart)..<Int(nameEnd) }
    var lineRange: Range<Int> { Int(lineStart)..<Int(lineEnd) }
}

/// How a message arrived: a datagram carries one message whose body may be
/// shorter than the datagram; a stream needs Content-Length to find the end.
public enum SIPFraming: Sendable {
    case datagram
    case stream
}

/// Limits on what the parser accepts; from configuration.
public struct SIPParserLimits: Sendable, Hashable {
    public var maxMessageSize: Int
    public var maxHeaders: Int
    public var maxVias: Int

    public init(maxMessageSize: Int = 65_535, maxHeaders: Int = 256, maxVias: Int = 70) {
        self.maxMessageSize = maxMessageSize
        self.maxHeaders = maxHeaders
        self.maxVias = maxVias
    }
}
