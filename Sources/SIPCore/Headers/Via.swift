/// One Via value (RFC 3261 20.42, 18.2.2; RFC 3581 rport).
///
/// `via-parm = sent-protocol LWS sent-by *( SEMI via-params )`
public struct Via: Sendable, Hashable {
    /// The value as written.
    public let raw: ArraySlice<UInt8>
    let protocolNameSpan: Span
    let protocolVersionSpan: Span
    let transportSpan: Span
    let hostSpan: Span
    public let hostKind: SIPURI.HostKind
    /// The sent-by port, if given.
    public let port: UInt16?
    let parametersSpan: Span
    let branchSpan: Span?
    let receivedSpan: Span?
    let maddrSpan: Span?
    /// `ttl` (0–255), if present.
    public let ttl: UInt8?
    /// RFC 3581: nil when absent; `.some(nil)` when present without a value.
    public let rport: UInt16??

    var protocolNameRange: Range<Int> { protocolNameSpan.range(raw.startIndex) }
    var protocolVersionRange: Range<Int> { protocolVersionSpan.range(raw.startIndex) }
    var transportRange: Range<Int> { transportSpan.range(raw.startIndex) }
    var hostRange: Range<Int> { hostSpan.range(raw.startIndex) }
    var parametersRange: Range<Int> { parametersSpan.range(raw.startIndex) }
    var branchRange: Range<Int>? { branchSpan?.range(raw.startIndex) }
    var receivedRange: Range<Int>? { receivedSpan?.range(raw.startIndex) }
    var maddrRange: Range<Int>? { maddrSpan?.range(raw.startIndex) }

    public var protocolName: String { raw[protocolNameRange].utf8String }
    public var protocolVersion: String { raw[protocolVersionRange].utf8String }
    /// The transport as written (`UDP`, `TCP`, `TLS`, `SCTP`, `WS`…).
    public var transport: String { raw[transportRange].utf8String }
    /// The sent-by host without IPv6 brackets.
    public var host: String { raw[hostRange].utf8String }
    /// sent-by as host[:port], brackets around IPv6.
    public var sentBy: String {
        var s = hostKind == .ipv6 ? "[\(host)]" : host
        if let port { s += ":\(port)" }
        return s
    }
    public var branch: String? { branchRange.map { raw[$0].utf8String } }
    /// Whether the branch is an RFC 3261 branch: the magic cookie `z9hG4bK` and
    /// something after it (RFC 4475 3.2.1: the bare cookie identifies nothing).
    public var hasRFC3261Branch: Bool {
        guard let r = branchRange, r.count > 7 else { return false }
        return raw[r.lowerBound..<(r.lowerBound + 7)].withRawBytes { b in
            b[b.startIndex] == 0x7A && b[b.startIndex + 1] == 0x39 && b[b.startIndex + 2] == 0x68 && b[b.startIndex + 3] == 0x47
                && b[b.startIndex + 4] == 0x34 && b[b.startIndex + 5] == 0x62 && b[b.startIndex + 6] == 0x4B
        }
    }
    /// `received`, without brackets if the sender used them.
    public var received: String? {
        receivedRange.map {
            var s = raw[$0]
            if s.first == ASCII.openBracket, s.last == ASCII.closeBracket { s = s.dropFirst().dropLast() }
            return s.utf8String
        }
    }
    public var maddr: String? { maddrRange.map { raw[$0].utf8String } }
    /// Every parameter, in order.
    public var parameters: HeaderParameters { HeaderParameters(raw[parametersRange]) }

    /// Compares the transport case-insensitively, e.g. `via.isTransport("udp")`.
    public func isTransport(_ lowercase: StaticString) -> Bool { raw[transportRange].equalsLowercase(lowercase) }

    public init(parsing raw: consuming ArraySlice<UInt8>) throws(SIPParseError) {
        guard raw.count <= Span.maxValueLength else { throw .malformed(.via, "longer than \(Span.maxValueLength) octets") }
        let l = try raw.withRawBytes { (bytes) throws(SIPParseError) in try Layout(bytes) }
        let base = raw.startIndex
        self.raw = consume raw
        protocolNameSpan = Span(l.protocolNameRange, base: base)
        protocolVersionSpan = Span(l.protocolVersionRange, base: base)
        transportSpan = Span(l.transportRange, base: base)
        hostSpan = Span(l.hostRange, base: base)
        hostKind = l.hostKind
        port = l.port
        parametersSpan = Span(l.parametersRange, base: base)
        branchSpan = Span(l.branchRange, base: base)
        receivedSpan = Span(l.receivedRange, base: base)
        maddrSpan = Span(l.maddrRange, base: base)
        ttl = l.ttl
        rport = l.rport
    }

    /// The ranges and values of a Via value, found over raw bytes.
    private struct Layout {
        var protocolNameRange: Range<Int>
        var protocolVersionRange: Range<Int>
        var transportRange: Range<Int>
        var hostRange: Range<Int>
        var hostKind: SIPURI.HostKind
        var port: UInt16?
        var parametersRange: Range<Int>
        var branchRange: Range<Int>?
        var receivedRange: Range<Int>?
        var maddrRange: Range<Int>?
        var ttl: UInt8?
        var rport: UInt16??

        init(_ raw: RawBytes) throws(SIPParseError) {
            let end = raw.endIndex
            var i = raw.startIndex
            func token() -> Range<Int> {
                let s = i
                while i < end, ASCII.is(raw[i], .token) { i += 1 }
                return s..<i
            }
            func skipWS() { while i < end, ASCII.isWhitespace(raw[i]) { i += 1 } }
            func slash() throws(SIPParseError) {
                skipWS()
                guard i < end, raw[i] == ASCII.slash else { throw .malformed(.via, "malformed sent-protocol") }
                i += 1
                skipWS()
            }
            protocolNameRange = token()
            guard !protocolNameRange.isEmpty else { throw .malformed(.via, "missing sent-protocol") }
            try slash()
            protocolVersionRange = token()
            try slash()
            transportRange = token()
            guard !protocolVersionRange.isEmpty, !transportRange.isEmpty else {
                throw .malformed(.via, "malformed sent-protocol")
            }
            let beforeLWS = i
            skipWS()
            guard i > beforeLWS, i < end else { throw .malformed(.via, "missing sent-by") }
            let host = try HostSyntax.parse(raw, at: i) { .malformed(.via, $0) }
            hostRange = host.range
            hostKind = host.kind
            i = host.next
            skipWS()
            if i < end, raw[i] == ASCII.colon {
                i += 1
                skipWS()
                let ps = i
                while i < end, raw[i] &- 0x30 < 10 { i += 1 }
                guard let v = raw[ps..<i].decimalValue(limit: 65535) else { throw .malformed(.via, "invalid port") }
                port = UInt16(v)
            } else {
                port = nil
            }
            parametersRange = i..<end
            var branch: Range<Int>? = nil
            var received: Range<Int>? = nil
            var maddr: Range<Int>? = nil
            var ttl: UInt8? = nil
            var rport: UInt16?? = nil
            try HeaderParameters.scan(raw[i..<end], header: .via) { (p) throws(SIPParseError) in
                let n = p.name
                if n.equalsLowercase("branch") {
                    guard let v = p.valueRange, !v.isEmpty else { throw .malformed(.via, "empty branch") }
                    branch = v
                } else if n.equalsLowercase("received") {
                    guard let v = p.value else { throw .malformed(.via, "received without value") }
                    var a = v
                    if a.count >= 2, a.first == ASCII.openBracket, a.last == ASCII.closeBracket { a = a[(a.startIndex + 1)..<(a.endIndex - 1)] }
                    guard IPAddressSyntax.isIPv4(a) || IPAddressSyntax.isIPv6(a) else {
                        throw .malformed(.via, "received is not an IP address")
                    }
                    received = v.startIndex..<v.endIndex
                } else if n.equalsLowercase("maddr") {
                    guard let v = p.value else { throw .malformed(.via, "maddr without value") }
                    maddr = v.startIndex..<v.endIndex
                } else if n.equalsLowercase("ttl") {
                    guard let v = p.value, let t = v.decimalValue(limit: 255) else { throw .malformed(.via, "ttl out of range") }
                    ttl = UInt8(t)
                } else if n.equalsLowercase("rport") {
                    if let v = p.value {
                        guard let port = v.decimalValue(limit: 65535) else { throw .malformed(.via, "invalid rport") }
                        rport = .some(UInt16(port))
                    } else {
                        rport = .some(nil)
                    }
                }
            }
            branchRange = branch
            receivedRange = received
            maddrRange = maddr
            self.ttl = ttl
            self.rport = rport
        }

    }

    public init(_ text: String) throws(SIPParseError) { try self.init(parsing: ArraySlice(text.utf8)) }

    public static func == (a: Via, b: Via) -> Bool { a.raw == b.raw }
    public func hash(into h: inout Hasher) { h.combine(raw) }
}

/// host = hostname / IPv4address / IPv6reference, as found in Via sent-by.
enum HostSyntax {
    struct Parsed {
        var range: Range<Int>
        var kind: SIPURI.HostKind
        var next: Int
    }

    /// Parses the host at `start`; `fail` turns a problem into the caller's error.
    static func parse(_ raw: RawBytes, at start: Int, _ fail: (String) -> SIPParseError) throws(SIPParseError) -> Parsed {
        let end = raw.endIndex
        var i = start
        guard i < end else { throw fail("missing host") }
        if raw[i] == ASCII.openBracket {
            guard let close = raw.find(ASCII.closeBracket, from: i) else { throw fail("unterminated IPv6 reference") }
            guard IPAddressSyntax.isIPv6(raw[(i + 1)..<close]) else { throw fail("invalid IPv6 address") }
            return Parsed(range: (i + 1)..<close, kind: .ipv6, next: close + 1)
        }
        // One pass: the host's extent by character class, the number of dots,
        // whether it is digits and dots only, and whether a label is empty
        // (a leading dot or two dots in a row). Flags, not branches, per byte.
        var dots = 0
        var previousDot: UInt8 = 1
        var emptyLabel: UInt8 = 0
        var nonNumeric: UInt8 = 0
        while i < end {
            let b = raw[i]
            guard ASCII.is(b, .hostChar) else { break }
            let dot: UInt8 = b == ASCII.dot ? 1 : 0
            let digit: UInt8 = b &- 0x30 < 10 ? 1 : 0
            emptyLabel |= dot & previousDot
            nonNumeric |= (dot | digit) ^ 1
            previousDot = dot
            dots &+= Int(dot)
            i += 1
        }
        guard i > start else { throw fail("missing host") }
        guard emptyLabel == 0 else { throw fail("invalid host name") }
        if nonNumeric == 0 && dots == 3 && previousDot == 0 {
            guard IPAddressSyntax.isIPv4(raw[start..<i]) else { throw fail("invalid IPv4 address") }
            return Parsed(range: start..<i, kind: .ipv4, next: i)
        }
        guard raw[start] != ASCII.dash else { throw fail("invalid host name") }
        return Parsed(range: start..<i, kind: .name, next: i)
    }
}

/// A parsed top Via kept by its message (``SIPMessage/cacheTopVia()``);
/// a box, so that a message without one stays small.
final class ParsedVia: Sendable {
    let via: Via
    init(_ via: Via) { self.via = via }
}
