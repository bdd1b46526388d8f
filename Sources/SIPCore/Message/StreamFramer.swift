/// Cuts SIP messages out of a byte stream (RFC 3261 18.3, RFC 5626 4.4.1).
///
/// A stream may deliver half a message or several at once; `append` what
/// arrives and call `next()` until it returns nil. Content-Length delimits
/// each body. CRLF keep-alives between messages are reported, not parsed.
/// Not thread-safe: one framer belongs to one connection's queue.
public struct StreamFramer: Sendable {
    public enum Frame: Sendable, Equatable {
        /// One complete message, to parse with `SIPFraming.stream`.
        case message([UInt8])
        /// A double-CRLF keep-alive ping (RFC 5626 4.4.1); answer with a CRLF pong.
        case ping
        /// A single CRLF, the pong to our ping.
        case pong
    }

    private var buffer: [UInt8] = []
    private var readIndex = 0
    /// The most a half-received message may occupy before the stream is refused.
    public let maxMessageSize: Int

    public init(maxMessageSize: Int = 65_535) {
        self.maxMessageSize = maxMessageSize
    }

    /// Bytes received but not yet returned as frames.
    public var bufferedCount: Int { buffer.count - readIndex }

    public mutating func append<C: Collection<UInt8>>(_ bytes: C) {
        if readIndex > 0, readIndex >= buffer.count / 2 {
            buffer.removeSubrange(0..<readIndex)
            readIndex = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete frame, nil when more bytes are needed. Throws when
    /// the stream cannot be framed (bad Content-Length, message too large):
    /// the connection must then be closed.
    public mutating func next() throws(SIPParseError) -> Frame? {
        let end = buffer.count
        var p = readIndex
        // Keep-alives: CRLFCRLF is a ping, a lone CRLF a pong.
        if p < end, buffer[p] == ASCII.cr || buffer[p] == ASCII.lf {
            if end - p >= 4, buffer[p] == ASCII.cr, buffer[p + 1] == ASCII.lf, buffer[p + 2] == ASCII.cr, buffer[p + 3] == ASCII.lf {
                readIndex = p + 4
                return .ping
            }
            if end - p >= 2, buffer[p] == ASCII.cr, buffer[p + 1] == ASCII.lf {
                if end - p == 2 || buffer[p + 2] != ASCII.cr {
                    readIndex = p + 2
                    return .pong
                }
                return nil
            }
            if buffer[p] == ASCII.lf {
                while p < end, buffer[p] == ASCII.lf { p += 1 }
                readIndex = p
                return try next()
            }
            return nil
        }
        guard p < end else { return nil }
        // End of the header section.
        var headerEnd = -1
        var i = p
        while i < end {
            if buffer[i] == ASCII.lf {
                if i + 1 < end, buffer[i + 1] == ASCII.lf {
                    headerEnd = i + 2
                    break
                }
                if i + 2 < end, buffer[i + 1] == ASCII.cr, buffer[i + 2] == ASCII.lf {
                    headerEnd = i + 3
                    break
                }
            }
            i += 1
        }
        guard headerEnd > 0 else {
            if end - p > maxMessageSize { throw SIPParseError(status: 513, reason: "Message header section larger than \(maxMessageSize) octets") }
            return nil
        }
        let contentLength = try Self.contentLength(buffer, p, headerEnd)
        let total = headerEnd - p + contentLength
        if total > maxMessageSize { throw SIPParseError(status: 513, reason: "Message larger than \(maxMessageSize) octets") }
        guard end - p >= total else { return nil }
        readIndex = p + total
        return .message(Array(buffer[p..<(p + total)]))
    }

    /// Finds Content-Length (or `l`) at a line start within the header section.
    private static func contentLength(_ b: [UInt8], _ start: Int, _ end: Int) throws(SIPParseError) -> Int {
        var lineStart = start
        var found: Int? = nil
        while lineStart < end {
            var lineEnd = lineStart
            while lineEnd < end, b[lineEnd] != ASCII.lf { lineEnd += 1 }
            var n = lineStart
            while n < lineEnd, ASCII.is(b[n], .token) { n += 1 }
            let name = b[lineStart..<n]
            if name.equalsLowercase("content-length") || name.equalsLowercase("l") {
                var v = n
                while v < lineEnd, b[v] == ASCII.sp || b[v] == ASCII.htab { v += 1 }
                guard v < lineEnd, b[v] == ASCII.colon else { throw .badRequest("Malformed Content-Length") }
                let value = b[(v + 1)..<lineEnd].trimmingWhitespace()
                guard let n = value.decimalValue(limit: UInt64(Int32.max)) else {
                    throw .malformed(.contentLength, "not a non-negative integer")
                }
                if let found, found != Int(n) { throw .badRequest("Conflicting Content-Length header fields") }
                found = Int(n)
            }
            lineStart = lineEnd + 1
        }
        return found ?? 0
    }
}
