extension SIPURI {
    /// Parses `raw` as a URI. `context` names where it came from in the error
    /// reason ("Request-URI", "To", …).
    init(parsing raw: consuming ArraySlice<UInt8>, context: Context) throws(SIPParseError) {
        let layout = try Self.layout(of: raw, context: context)
        self.init(raw: consume raw, layout: layout)
    }

    /// Where a URI was found, named in its parse errors only: no string is
    /// made unless parsing fails.
    enum Context {
        case requestURI
        case header(HeaderName)
        /// A URI on its own (configuration, ctl).
        case uri

        var name: String {
            switch self {
            case .requestURI: return "Request-URI"
            case .header(let h): return h.canonicalName
            case .uri: return "URI"
            }
        }

        func error(_ detail: String) -> SIPParseError {
            SIPParseError(status: 400, reason: "Malformed \(name) URI: \(detail)", header: name)
        }
    }

    /// Parses `raw` as a URI and returns where its components sit.
    @inline(__always)
    static func layout(of raw: ArraySlice<UInt8>, context: Context) throws(SIPParseError) -> Layout {
        guard raw.count <= Span.maxValueLength else { throw context.error("longer than \(Span.maxValueLength) octets") }
        return try raw.withRawBytes { (bytes) throws(SIPParseError) in try Parts(parsing: bytes, context: context).layout }
    }

    /// The components' ranges, found over raw bytes.
    private struct Parts {
        var scheme: Scheme
        var hostKind: HostKind
        var port: UInt16?
        var schemeRange: Range<Int>
        var userRange: Range<Int>?
        var passwordRange: Range<Int>?
        var hostRange: Range<Int>
        var parametersRange: Range<Int>
        var headersRange: Range<Int>?
        let base: Int

        @inline(__always)
        var layout: Layout {
            Layout(
                scheme: scheme, hostKind: hostKind, port: port, schemeEnd: UInt16(truncatingIfNeeded: schemeRange.upperBound &- base),
                user: Span(userRange, base: base), password: Span(passwordRange, base: base), host: Span(hostRange, base: base),
                parameters: Span(parametersRange, base: base), headers: Span(headersRange, base: base))
        }

    init(parsing raw: RawBytes, context: Context) throws(SIPParseError) {
        base = raw.startIndex
        func fail(_ detail: String) -> SIPParseError { context.error(detail) }
        let start = raw.startIndex
        let end = raw.endIndex
        // scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":"
        var p = start
        guard p < end, ASCII.is(raw[p], .alpha) else { throw fail("no scheme") }
        while p < end, ASCII.is(raw[p], .schemeChar) { p += 1 }
        guard p < end, raw[p] == ASCII.colon else { throw fail("no scheme") }
        schemeRange = start..<p
        let name = raw[start..<p]
        p += 1
        if name.equalsLowercase("sip") || name.equalsLowercase("sips") {
            scheme = name.count == 3 ? .sip : .sips
        } else if name.equalsLowercase("tel") {
            scheme = .tel
        } else {
            // absoluteURI = scheme ":" ( hier-part / opaque-part ): kept, checked for allowed characters.
            guard p < end else { throw fail("empty URI after scheme") }
            for i in p..<end where !ASCII.is(raw[i], .uric) { throw fail("character not allowed in URI") }
            try SIPURI.checkEscapes(raw[p..<end], fail)
            scheme = .other
            hostKind = .none
            port = nil
            userRange = nil
            passwordRange = nil
            hostRange = end..<end
            parametersRange = end..<end
            headersRange = nil
            return
        }

        if scheme == .tel {
            // telephone-subscriber (RFC 3966 3): number, then ;parameters.
            let numberEnd = raw.find(ASCII.semicolon, from: p) ?? end
            guard numberEnd > p else { throw fail("empty telephone number") }
            for i in p..<numberEnd {
                let b = raw[i]
                guard ASCII.is(b, .hex) || b == ASCII.plus || b == ASCII.dash || b == ASCII.dot || b == 0x28 || b == 0x29
                    || b == ASCII.star || b == 0x23
                else { throw fail("character not allowed in telephone number") }
            }
            _ = try SIPURI.checkParameters(raw[numberEnd..<end], fail, stopAtQuestionMark: false)
            hostKind = .none
            port = nil
            userRange = p..<numberEnd
            passwordRange = nil
            hostRange = end..<end
            parametersRange = numberEnd..<end
            headersRange = nil
            return
        }

        // [ userinfo "@" ]: '@' may appear nowhere else unescaped.
        let hostStart: Int
        if let at = raw.find(ASCII.at, from: p) {
            var j = p
            while j < at, raw[j] != ASCII.colon {
                // Plain user characters in a tight loop; escapes and the rest below.
                while j < at, ASCII.is(raw[j], .userChar) { j += 1 }
                guard j < at, raw[j] != ASCII.colon else { break }
                let b = raw[j]
                if b == ASCII.percent {
                    guard j + 2 < at, ASCII.is(raw[j + 1], .hex), ASCII.is(raw[j + 2], .hex) else { throw fail("bad %-escape") }
                    j += 3
                    continue
                }
                guard ASCII.is(b, .userChar) else { throw fail("character not allowed in user part") }
                j += 1
            }
            guard j > p else { throw fail("empty user part") }
            userRange = p..<j
            if j < at {
                let ps = j + 1
                j = ps
                while j < at {
                    let b = raw[j]
                    if b == ASCII.percent {
                        guard j + 2 < at, ASCII.is(raw[j + 1], .hex), ASCII.is(raw[j + 2], .hex) else { throw fail("bad %-escape") }
                        j += 3
                        continue
                    }
                    guard ASCII.is(b, .passwordChar) else { throw fail("character not allowed in password") }
                    j += 1
                }
                passwordRange = ps..<at
            } else {
                passwordRange = nil
            }
            hostStart = at + 1
        } else {
            userRange = nil
            passwordRange = nil
            hostStart = p
        }

        // host = hostname / IPv4address / IPv6reference
        let host = try HostSyntax.parse(raw, at: hostStart, fail)
        hostRange = host.range
        hostKind = host.kind
        p = host.next
        // [ ":" port ]
        if p < end, raw[p] == ASCII.colon {
            p += 1
            let ps = p
            while p < end, raw[p] &- 0x30 < 10 { p += 1 }
            guard p > ps, p - ps <= 5, let v = raw[ps..<p].decimalValue(limit: 65535) else { throw fail("invalid port") }
            port = UInt16(v)
        } else {
            port = nil
        }
        // uri-parameters
        let paramsStart = p
        if p < end, raw[p] != ASCII.question {
            guard raw[p] == ASCII.semicolon else { throw fail("unexpected character after host") }
            p = try SIPURI.checkParameters(raw[p..<end], fail, stopAtQuestionMark: true)
        }
        parametersRange = paramsStart..<p
        // [ headers ]
        if p < end {
            let hs = p + 1
            var j = hs
            while j < end {
                let b = raw[j]
                if b == ASCII.percent {
                    guard j + 2 < end, ASCII.is(raw[j + 1], .hex), ASCII.is(raw[j + 2], .hex) else { throw fail("bad %-escape") }
                    j += 3
                    continue
                }
                guard ASCII.is(b, .headerChar) || b == ASCII.equals || b == ASCII.ampersand else {
                    throw fail("character not allowed in URI headers")
                }
                j += 1
            }
            headersRange = hs..<end
        } else {
            headersRange = nil
        }
    }
    }

    /// uri-parameters = *( ";" uri-parameter ), pname = 1*paramchar, pvalue = 1*paramchar.
    /// Returns where the parameters end: at a '?' that starts the headers
    /// when `stopAtQuestionMark`, else at the end of `bytes`.
    fileprivate static func checkParameters(
        _ bytes: RawBytes, _ fail: (String) -> SIPParseError, stopAtQuestionMark: Bool
    ) throws(SIPParseError) -> Int {
        guard !bytes.isEmpty else { return bytes.endIndex }
        var nameLength = 0
        var sawEquals = false
        var i = bytes.startIndex + 1
        let end = bytes.endIndex
        while i < end {
            // Plain characters in a tight loop; separators and escapes below.
            let run = i
            while i < end, ASCII.is(bytes[i], .paramChar) { i += 1 }
            if !sawEquals { nameLength += i - run }
            guard i < end else { break }
            let b = bytes[i]
            if b == ASCII.semicolon {
                guard nameLength > 0 else { throw fail("empty parameter") }
                nameLength = 0
                sawEquals = false
            } else if b == ASCII.equals && !sawEquals {
                guard nameLength > 0 else { throw fail("empty parameter name") }
                sawEquals = true
            } else if b == ASCII.percent {
                guard i + 2 < end, ASCII.is(bytes[i + 1], .hex), ASCII.is(bytes[i + 2], .hex) else { throw fail("bad %-escape") }
                if !sawEquals { nameLength += 1 }
                i += 3
                continue
            } else if b == ASCII.question && stopAtQuestionMark {
                break
            } else {
                throw fail("character not allowed in URI parameter")
            }
            i += 1
        }
        guard nameLength > 0 || sawEquals else { throw fail("empty parameter") }
        return i
    }

    /// Every '%' starts a two-digit hex escape.
    fileprivate static func checkEscapes(_ bytes: RawBytes, _ fail: (String) -> SIPParseError) throws(SIPParseError) {
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == ASCII.percent {
                guard i + 2 < bytes.endIndex,
                    ASCII.hexValue(bytes[i + 1]) != nil, ASCII.hexValue(bytes[i + 2]) != nil
                else { throw fail("bad %-escape") }
                i += 3
            } else {
                i += 1
            }
        }
    }
}

/// Address syntax checks for hosts (RFC 3261 25.1, RFC 5118, RFC 4291 2.2).
enum IPAddressSyntax {
    static func looksLikeIPv4(_ b: ArraySlice<UInt8>) -> Bool { b.withRawBytes { looksLikeIPv4($0) } }
    static func isIPv4(_ b: ArraySlice<UInt8>) -> Bool { b.withRawBytes { isIPv4($0) } }
    static func isIPv6(_ b: ArraySlice<UInt8>) -> Bool { b.withRawBytes { isIPv6($0) } }
    static func isHostname(_ b: ArraySlice<UInt8>) -> Bool { b.withRawBytes { isHostname($0) } }

    /// Digits and exactly three dots, not ending in a dot: meant as an IPv4 address.
    static func looksLikeIPv4(_ b: RawBytes) -> Bool {
        var dots = 0
        for i in b.startIndex..<b.endIndex {
            let c = b[i]
            if c == ASCII.dot {
                dots += 1
            } else if c &- 0x30 >= 10 {
                return false
            }
        }
        return dots == 3 && b.last != ASCII.dot
    }

    /// IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT, each at most 255.
    static func isIPv4(_ b: RawBytes) -> Bool {
        var parts = 0
        var value = 0
        var digits = 0
        for i in b.startIndex..<b.endIndex {
            let c = b[i]
            if c == ASCII.dot {
                guard digits > 0 else { return false }
                parts += 1
                value = 0
                digits = 0
            } else {
                let d = c &- 0x30
                guard d < 10, digits < 3 else { return false }
                value = value * 10 + Int(d)
                digits += 1
                guard value <= 255 else { return false }
            }
        }
        return parts == 3 && digits > 0
    }

    /// hostname = *( domainlabel "." ) toplabel [ "." ]; labels of alphanum and '-' (and '_', seen in the wild).
    static func isHostname(_ b: RawBytes) -> Bool {
        guard let first = b.first, first != ASCII.dot, first != ASCII.dash else { return false }
        var previous: UInt8 = 0
        for i in b.startIndex..<b.endIndex {
            let c = b[i]
            if c == ASCII.dot && previous == ASCII.dot { return false }
            previous = c
        }
        return true
    }

    /// IPv6address of RFC 4291 2.2: up to eight 16-bit hex groups, one "::",
    /// optionally ending in a dotted IPv4 address.
    static func isIPv6(_ b: RawBytes) -> Bool {
        if strictIPv6(b) { return true }
        // RFC 5118 4.10: the RFC 3261 ABNF admits "::" followed by ":" IPv4address
        // (`2001:db8:::192.0.2.1`); accept it as the address without the extra colon.
        if let dot = b.find(ASCII.dot, from: b.startIndex) {
            var colon = dot - 1
            while colon >= b.startIndex, b[colon] != ASCII.colon { colon -= 1 }
            if colon >= b.startIndex + 2, b[colon - 1] == ASCII.colon, b[colon - 2] == ASCII.colon {
                var fixed = [UInt8]()
                for i in b.startIndex..<b.endIndex where i != colon { fixed.append(b[i]) }
                return fixed[...].withRawBytes { strictIPv6($0) }
            }
        }
        return false
    }

    static func strictIPv6(_ b: RawBytes) -> Bool {
        guard b.count >= 2 else { return false }
        var groups = 0
        var sawDoubleColon = false
        var i = b.startIndex
        let end = b.endIndex
        if b[i] == ASCII.colon {
            guard b[i + 1] == ASCII.colon else { return false }
            sawDoubleColon = true
            i += 2
            if i == end { return true }
        }
        while i < end {
            // One group (or a trailing IPv4 address).
            let gs = i
            while i < end, ASCII.is(b[i], .hex) { i += 1 }
            if i < end, b[i] == ASCII.dot {
                guard isIPv4(b[gs..<end]) else { return false }
                groups += 2
                i = end
                break
            }
            let len = i - gs
            guard len >= 1, len <= 4 else { return false }
            groups += 1
            if i == end { break }
            guard b[i] == ASCII.colon else { return false }
            i += 1
            if i < end, b[i] == ASCII.colon {
                guard !sawDoubleColon else { return false }
                sawDoubleColon = true
                i += 1
                if i == end { break }
                guard b[i] != ASCII.colon else { return false }
            } else if i == end {
                return false
            }
        }
        return sawDoubleColon ? groups <= 7 : groups == 8
    }
}
