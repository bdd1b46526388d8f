#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a message's index in one pass over its bytes: start line, header
/// field lines (with folding), blank line, and the body that Content-Length
/// delimits.
enum MessageScanner {
    struct Result {
        var isRequest = true
        var a = 0..<0
        var b = 0..<0
        var c = 0..<0
        var startLine = 0..<0
        var status = 0
        var fields: [HeaderField] = []
        var names = HeaderNameSet()
        var body = 0..<0
        var message = 0..<0
        var trailing = 0
    }

    /// Scans `buf` into `r`; returns the error that rejects the message, if any.
    static func scan(_ buf: UnsafeBufferPointer<UInt8>, framing: SIPFraming, limits: SIPParserLimits, into r: inout Result) -> SIPParseError? {
        let end = buf.count
        // Ranges are 32-bit; nothing near that size is a SIP message.
        if end > Int(Int32.max) / 2 {
            return SIPParseError(status: 513, reason: "Message larger than \(limits.maxMessageSize) octets")
        }
        var p = 0
        // RFC 3261 7.5: CRLFs before the start line are ignored.
        while p < end, buf[p] == ASCII.cr || buf[p] == ASCII.lf { p += 1 }
        guard p < end else { return .badRequest("Empty message") }
        let messageStart = p

        // Start line.
        guard let lf = find(ASCII.lf, in: buf, from: p, to: end) else {
            return .badRequest("Start line not terminated")
        }
        let lineEnd = lf + 1
        let contentEnd = lf > p && buf[lf - 1] == ASCII.cr ? lf - 1 : lf
        r.startLine = p..<lineEnd
        if let e = parseStartLine(buf, p, contentEnd, &r) { return e }
        p = lineEnd

        // Header fields.
        r.fields.reserveCapacity(24)
        var headerEnd = -1
        while p < end {
            let c = buf[p]
            if c == ASCII.cr, p + 1 < end, buf[p + 1] == ASCII.lf {
                headerEnd = p + 2
                break
            }
            if c == ASCII.lf {
                headerEnd = p + 1
                break
            }
            if c == ASCII.sp || c == ASCII.htab {
                return .badRequest("Continuation line without a header field")
            }
            let lineStart = p
            var q = p
            var nameEnd = p
            var name = HeaderName.other
            // Fast path: the name up to the colon is one Switchboard knows,
            // which makes it a token without looking at each byte.
            if let colon = find(ASCII.colon, in: buf, from: p, to: Swift.min(end, p &+ 64)) {
                nameEnd = colon
                while nameEnd > lineStart, buf[nameEnd - 1] == ASCII.sp || buf[nameEnd - 1] == ASCII.htab { nameEnd -= 1 }
                name = HeaderName.lookup(UnsafeBufferPointer(rebasing: buf[lineStart..<nameEnd]))
                q = colon
            }
            if name == .other {
                q = p
                while q < end, ASCII.is(buf[q], .token) { q += 1 }
                nameEnd = q
                guard nameEnd > lineStart else {
                    return .badRequest("Malformed header field name")
                }
                while q < end, buf[q] == ASCII.sp || buf[q] == ASCII.htab { q += 1 }
                guard q < end, buf[q] == ASCII.colon else {
                    let name = String(decoding: UnsafeBufferPointer(rebasing: buf[lineStart..<nameEnd]), as: UTF8.self)
                    return .badRequest("Header field \(name) has no colon")
                }
                name = HeaderName.lookup(UnsafeBufferPointer(rebasing: buf[lineStart..<nameEnd]))
            }
            q += 1
            // Find the end of the field: a line end not followed by SP/HTAB (folding, RFC 3261 7.3.1).
            var fieldEnd = -1
            var s = q
            while true {
                guard let l = find(ASCII.lf, in: buf, from: s, to: end) else { break }
                if l + 1 < end, buf[l + 1] == ASCII.sp || buf[l + 1] == ASCII.htab {
                    s = l + 1
                    continue
                }
                fieldEnd = l + 1
                break
            }
            guard fieldEnd > 0 else { return .badRequest("Header section not terminated") }
            var vs = q
            while vs < fieldEnd, ASCII.isWhitespace(buf[vs]) { vs += 1 }
            var ve = fieldEnd
            while ve > vs, ASCII.isWhitespace(buf[ve - 1]) { ve -= 1 }
            r.names.insert(name)
            r.fields.append(
                HeaderField(
                    name: name, lineStart: Int32(truncatingIfNeeded: lineStart), nameEnd: Int32(truncatingIfNeeded: nameEnd),
                    valueStart: Int32(truncatingIfNeeded: vs), valueEnd: Int32(truncatingIfNeeded: ve),
                    lineEnd: Int32(truncatingIfNeeded: fieldEnd)))
            if r.fields.count > limits.maxHeaders {
                return SIPParseError(status: 400, reason: "More than \(limits.maxHeaders) header fields")
            }
            p = fieldEnd
        }
        guard headerEnd >= 0 else { return .badRequest("Header section not terminated") }

        // Body, delimited by Content-Length (RFC 3261 18.3, 20.14).
        var contentLength: Int? = nil
        for f in r.fields where f.name == .contentLength {
            let raw = UnsafeBufferPointer(rebasing: buf[Int(f.valueStart)..<Int(f.valueEnd)])
            guard let v = decimal(raw), v <= UInt64(Int32.max) else {
                return .malformed(.contentLength, "not a non-negative integer")
            }
            if contentLength != nil {
                return .badRequest("Multiple Content-Length header fields", header: "Content-Length")
            }
            contentLength = Int(v)
        }
        let available = end - headerEnd
        let bodyLength: Int
        switch (framing, contentLength) {
        case (_, let cl?) where cl > available:
            return .badRequest("Content-Length larger than the message", header: "Content-Length")
        case (_, let cl?):
            bodyLength = cl
        case (.datagram, nil):
            bodyLength = available
        case (.stream, nil):
            bodyLength = 0
        }
        if framing == .stream, headerEnd + bodyLength != end {
            return .badRequest("Stream message framed with extra octets")
        }
        r.body = headerEnd..<(headerEnd + bodyLength)
        r.message = messageStart..<(headerEnd + bodyLength)
        r.trailing = available - bodyLength
        if r.message.count > limits.maxMessageSize {
            return SIPParseError(status: 513, reason: "Message larger than \(limits.maxMessageSize) octets")
        }
        return nil
    }

    /// Request-Line = Method SP Request-URI SP SIP-Version; Status-Line = SIP-Version SP Status-Code SP Reason-Phrase.
    private static func parseStartLine(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ r: inout Result) -> SIPParseError? {
        if end - start >= 4, ASCII.lower(buf[start]) == 0x73, ASCII.lower(buf[start + 1]) == 0x69,
            ASCII.lower(buf[start + 2]) == 0x70, buf[start + 3] == ASCII.slash
        {
            // Response.
            r.isRequest = false
            guard let sp = find(ASCII.sp, in: buf, from: start, to: end) else {
                return .badRequest("Malformed Status-Line")
            }
            r.a = start..<sp
            if let e = checkVersion(buf, start, sp) { return e }
            let codeStart = sp + 1
            var q = codeStart
            while q < end, buf[q] &- 0x30 < 10 { q += 1 }
            guard q - codeStart == 3, q == end || buf[q] == ASCII.sp else {
                return .badRequest("Status-Code is not three digits")
            }
            let code = Int(buf[codeStart] - 0x30) * 100 + Int(buf[codeStart + 1] - 0x30) * 10 + Int(buf[codeStart + 2] - 0x30)
            guard (100...699).contains(code) else { return .badRequest("Status-Code \(code) out of range") }
            r.status = code
            r.b = codeStart..<q
            let reasonStart = q < end ? q + 1 : end
            r.c = reasonStart..<end
            for i in reasonStart..<end where buf[i] < 0x20 && buf[i] != ASCII.htab {
                return .badRequest("Control character in Reason-Phrase")
            }
            return nil
        }
        // Request.
        var q = start
        while q < end, ASCII.is(buf[q], .token) { q += 1 }
        guard q > start, q < end, buf[q] == ASCII.sp else { return .badRequest("Malformed Request-Line: method") }
        r.a = start..<q
        let uriStart = q + 1
        guard let sp2 = find(ASCII.sp, in: buf, from: uriStart, to: end), sp2 > uriStart else {
            return .badRequest("Malformed Request-Line: expected Method SP Request-URI SP SIP-Version")
        }
        r.b = uriStart..<sp2
        for i in uriStart..<sp2 where buf[i] <= ASCII.sp || buf[i] >= 0x7F {
            return .badRequest("Malformed Request-URI: white space or control character")
        }
        let versionStart = sp2 + 1
        r.c = versionStart..<end
        guard versionStart < end else { return .badRequest("Malformed Request-Line: missing SIP-Version") }
        if find(ASCII.sp, in: buf, from: versionStart, to: end) != nil
            || find(ASCII.htab, in: buf, from: versionStart, to: end) != nil
        {
            return .badRequest("Malformed Request-Line: extra white space")
        }
        return checkVersion(buf, versionStart, end)
    }

    /// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; anything but 2.0 is 505 (RFC 3261 8.2.2... 21.5.6).
    private static func checkVersion(_ buf: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> SIPParseError? {
        guard end - start >= 7, ASCII.lower(buf[start]) == 0x73, ASCII.lower(buf[start + 1]) == 0x69,
            ASCII.lower(buf[start + 2]) == 0x70, buf[start + 3] == ASCII.slash
        else { return .badRequest("Malformed SIP-Version") }
        var q = start + 4
        let major = q
        while q < end, buf[q] &- 0x30 < 10 { q += 1 }
        guard q > major, q < end, buf[q] == ASCII.dot else { return .badRequest("Malformed SIP-Version") }
        let majorEnd = q
        q += 1
        let minor = q
        while q < end, buf[q] &- 0x30 < 10 { q += 1 }
        guard q > minor, q == end else { return .badRequest("Malformed SIP-Version") }
        let isTwoZero = majorEnd - major == 1 && buf[major] == 0x32 && q - minor == 1 && buf[minor] == 0x30
        if !isTwoZero {
            let v = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<end]), as: UTF8.self)
            return SIPParseError(status: 505, reason: "Version Not Supported: \(v)")
        }
        return nil
    }

    /// The first index of `byte` in `buf[from..<to]` (memchr: the line scan is the parser's hottest loop).
    @inline(__always)
    static func find(_ byte: UInt8, in buf: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let base = buf.baseAddress else { return nil }
        guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
        return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    private static func decimal(_ raw: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard !raw.isEmpty, raw.count <= 19 else { return nil }
        var v: UInt64 = 0
        for b in raw {
            let d = b &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + UInt64(d)
        }
        return v
    }
}
