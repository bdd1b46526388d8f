import SIPCore

/// What `switchboard decode` prints for one message: start line, header
/// lines as written, typed headers, body (SDP parsed) and the verdict.
public struct MessageReport: Sendable {
    /// Where the message came from (a capture's packet, a file).
    public struct Origin: Sendable {
        public var transport: String?
        public var source: String?
        public var destination: String?
        public var time: String?
        public var packet: Int?

        public init(transport: String? = nil, source: String? = nil, destination: String? = nil, time: String? = nil, packet: Int? = nil) {
            self.transport = transport
            self.source = source
            self.destination = destination
            self.time = time
            self.packet = packet
        }
    }

    /// Why the message is invalid, or nil.
    public let error: SIPParseError?
    public let document: JSONDocument

    public var isValid: Bool { error == nil }

    /// Parses and validates `bytes` and describes the result.
    public init(bytes: [UInt8], framing: SIPFraming = .datagram, origin: Origin? = nil) {
        var top = JSONObjectBuilder()
        top.add("origin", origin.map(Self.origin))
        let message: SIPMessage
        do {
            message = try SIPMessage(bytes: bytes, framing: framing)
        } catch {
            self.error = error
            top.add("verdict", "invalid")
            top.add("error", Self.describe(error))
            top.add("length", bytes.count)
            let preview = bytes.prefix(200)
            top.add("text", String(decoding: preview, as: UTF8.self) + (bytes.count > 200 ? "…" : ""))
            document = top.document
            return
        }
        var firstError: SIPParseError? = nil
        do { try message.validate() } catch { firstError = error }
        top.add("verdict", firstError == nil ? "valid" : "invalid")
        if let firstError { top.add("error", Self.describe(firstError)) }
        top.add("startLine", Self.startLine(message))
        top.add("headers", .array(message.headerFields.map { f in
            .object([("name", .string(message.writtenName(of: f))), ("value", .string(message.value(of: f)))])
        }))
        top.add("typed", Self.typedHeaders(message))
        if !message.body.isEmpty || message.trailingBytes > 0 { top.add("body", Self.body(message)) }
        self.error = firstError
        document = top.document
    }

    /// A stream that could not be cut into messages.
    public init(framingError: SIPParseError, bytes: [UInt8], origin: Origin?) {
        var top = JSONObjectBuilder()
        top.add("origin", origin.map(Self.origin))
        top.add("verdict", "invalid")
        top.add("error", Self.describe(framingError))
        top.add("length", bytes.count)
        error = framingError
        document = top.document
    }

    static func origin(_ origin: Origin) -> JSONDocument {
        var o = JSONObjectBuilder()
        o.add("payload", origin.packet)
        o.add("time", origin.time)
        o.add("transport", origin.transport)
        o.add("source", origin.source)
        o.add("destination", origin.destination)
        return o.document
    }

    static func describe(_ error: SIPParseError) -> JSONDocument {
        var e = JSONObjectBuilder()
        e.add("status", error.status)
        e.add("reason", error.reason)
        e.add("header", error.header)
        return e.document
    }

    static func startLine(_ m: SIPMessage) -> JSONDocument {
        var s = JSONObjectBuilder()
        if m.isRequest {
            s.add("type", "request")
            s.add("method", m.method.rawValue)
            s.add("requestURI", (try? m.requestURI()).map(uri) ?? .string(m.requestURIText))
        } else {
            s.add("type", "response")
            s.add("status", m.statusCode)
            s.add("reason", m.reasonPhrase)
        }
        s.add("version", m.version)
        return s.document
    }

    static func uri(_ u: SIPURI) -> JSONDocument {
        var o = JSONObjectBuilder()
        o.add("text", u.description)
        o.add("scheme", u.schemeName)
        switch u.scheme {
        case .sip, .sips:
            o.add("user", u.user)
            o.add("password", u.password)
            o.add("host", u.host)
            o.add("hostKind", "\(u.hostKind)")
            o.add("port", u.port.map(Int.init))
            if !u.parameters.isEmpty { o.add("parameters", parameters(u.parameters.map { ($0.name, $0.value) })) }
            if u.hasHeaders { o.add("headers", .object(u.headers.map { ($0.name, .string($0.value)) })) }
        case .tel:
            o.add("number", u.user)
            if !u.parameters.isEmpty { o.add("parameters", parameters(u.parameters.map { ($0.name, $0.value) })) }
        case .other:
            break
        }
        return o.document
    }

    static func parameters(_ list: [(name: String, value: String?)]) -> JSONDocument {
        .object(list.map { ($0.name, $0.value.map { .string($0) } ?? .bool(true)) })
    }

    static func address(_ a: NameAddress) -> JSONDocument {
        var o = JSONObjectBuilder()
        o.add("displayName", a.displayName)
        o.add("uri", uri(a.uri))
        o.add("tag", a.tag)
        let params = a.parameters.filter { $0.name.lowercased() != "tag" }
        if !params.isEmpty { o.add("parameters", parameters(params.map { ($0.name, $0.value) })) }
        return o.document
    }

    static func via(_ v: Via) -> JSONDocument {
        var o = JSONObjectBuilder()
        o.add("transport", v.transport)
        o.add("sentBy", v.sentBy)
        o.add("branch", v.branch)
        o.add("received", v.received)
        if let rport = v.rport { o.add("rport", rport.map { .int(Int($0)) } ?? .bool(true)) }
        o.add("maddr", v.maddr)
        o.add("ttl", v.ttl.map(Int.init))
        return o.document
    }

    static func auth(_ a: AuthenticationParameters) -> JSONDocument {
        .object([("scheme", .string(a.scheme))] + a.parameters.map { ($0.name, .string($0.value)) })
    }

    /// Each typed header present; a header that fails to parse shows its error.
    static func typedHeaders(_ m: SIPMessage) -> JSONDocument {
        var o = JSONObjectBuilder()
        func add<T>(_ key: String, _ name: HeaderName, _ get: () throws(SIPParseError) -> T?, _ render: (T) -> JSONDocument) {
            guard m.firstField(name) != nil else { return }
            do {
                if let v = try get() { o.add(key, render(v)) }
            } catch {
                o.add(key, .object([("error", .string(error.reason))]))
            }
        }
        add("via", .via, { () throws(SIPParseError) in try m.vias() }) { .array($0.map(via)) }
        add("from", .from, { () throws(SIPParseError) in try m.from() }, address)
        add("to", .to, { () throws(SIPParseError) in try m.to() }, address)
        add("callID", .callID, { () throws(SIPParseError) in try m.callID() }) { .string($0) }
        add("cseq", .cseq, { () throws(SIPParseError) in try m.cseq() }) {
            .object([("sequence", .int(Int($0.sequence))), ("method", .string($0.method.rawValue))])
        }
        add("maxForwards", .maxForwards, { () throws(SIPParseError) in try m.maxForwards() }) { .int($0) }
        add("contact", .contact, { () throws(SIPParseError) in try m.contact() }) { c in
            switch c {
            case .star: return .string("*")
            case .addresses(let list):
                return .array(list.map { a in
                    var d = address(a)
                    if case .object(var members) = d {
                        if let e = a.expires { members.append(("expires", .int(Int(e)))) }
                        if let q = a.q { members.append(("q", .double(q))) }
                        d = .object(members)
                    }
                    return d
                })
            }
        }
        add("route", .route, { () throws(SIPParseError) in try m.routes() }) { .array($0.map(address)) }
        add("recordRoute", .recordRoute, { () throws(SIPParseError) in try m.recordRoutes() }) { .array($0.map(address)) }
        add("path", .path, { () throws(SIPParseError) in try m.paths() }) { .array($0.map(address)) }
        add("expires", .expires, { () throws(SIPParseError) in try m.expires() }) { .int(Int($0)) }
        add("minExpires", .minExpires, { () throws(SIPParseError) in try m.minExpires() }) { .int(Int($0)) }
        for (key, name) in [("require", HeaderName.require), ("proxyRequire", .proxyRequire), ("supported", .supported), ("unsupported", .unsupported)] {
            add(key, name, { () throws(SIPParseError) in try m.optionTags(name) }) { .array($0.map { .string($0) }) }
        }
        add("allow", .allow, { () throws(SIPParseError) in try m.allow() }) { .array($0.map { .string($0.rawValue) }) }
        add("contentType", .contentType, { () throws(SIPParseError) in try m.contentType() }) { .string($0.description) }
        add("contentLength", .contentLength, { () throws(SIPParseError) in m.contentLength }) { .int($0) }
        add("wwwAuthenticate", .wwwAuthenticate, { () throws(SIPParseError) in try m.wwwAuthenticate() }) { .array($0.map(auth)) }
        add("proxyAuthenticate", .proxyAuthenticate, { () throws(SIPParseError) in try m.proxyAuthenticate() }) { .array($0.map(auth)) }
        add("authorization", .authorization, { () throws(SIPParseError) in try m.authorization() }) { .array($0.map(auth)) }
        add("proxyAuthorization", .proxyAuthorization, { () throws(SIPParseError) in try m.proxyAuthorization() }) { .array($0.map(auth)) }
        add("pAssertedIdentity", .pAssertedIdentity, { () throws(SIPParseError) in try m.pAssertedIdentities() }) { .array($0.map(address)) }
        add("reason", .reason, { () throws(SIPParseError) in try m.reasons() }) { list in
            .array(list.map { r in
                var o = JSONObjectBuilder()
                o.add("protocol", r.protocolName)
                o.add("cause", r.cause)
                o.add("text", r.text)
                return o.document
            })
        }
        add("retryAfter", .retryAfter, { () throws(SIPParseError) in try m.retryAfter() }) { r in
            var o = JSONObjectBuilder()
            o.add("seconds", Int(r.seconds))
            o.add("comment", r.comment)
            o.add("duration", r.duration.map(Int.init))
            return o.document
        }
        add("geolocation", .geolocation, { () throws(SIPParseError) in try m.geolocations() }) { .array($0.map(address)) }
        add("geolocationRouting", .geolocationRouting, { () throws(SIPParseError) in try m.geolocationRouting() }) { .bool($0) }
        add("date", .date, { () throws(SIPParseError) in try m.date() }) {
            .string(String(format2: $0.year, $0.month, $0.day, $0.hour, $0.minute, $0.second))
        }
        return o.document
    }

    static func body(_ m: SIPMessage) -> JSONDocument {
        var o = JSONObjectBuilder()
        o.add("length", m.body.count)
        if m.trailingBytes > 0 { o.add("ignoredTrailingOctets", m.trailingBytes) }
        let type = try? m.contentType()
        if let type, type.is("application", "sdp") {
            o.add("sdp", SDPReport.document(m.body))
        } else if let text = String(validatingUTF8Bytes: m.body), !text.unicodeScalars.contains(where: { $0.value < 0x09 }) {
            o.add("text", text)
        } else {
            o.add("base64", base64(m.body))
        }
        return o.document
    }

    static func base64(_ bytes: ArraySlice<UInt8>) -> String {
        let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out = [UInt8]()
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b0 = bytes[i]
            let b1 = i + 1 < bytes.endIndex ? bytes[i + 1] : 0
            let b2 = i + 2 < bytes.endIndex ? bytes[i + 2] : 0
            out.append(table[Int(b0 >> 2)])
            out.append(table[Int((b0 & 3) << 4 | b1 >> 4)])
            out.append(i + 1 < bytes.endIndex ? table[Int((b1 & 15) << 2 | b2 >> 6)] : UInt8(ascii: "="))
            out.append(i + 2 < bytes.endIndex ? table[Int(b2 & 63)] : UInt8(ascii: "="))
            i += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension String {
    init?(validatingUTF8Bytes bytes: ArraySlice<UInt8>) {
        var it = bytes.makeIterator()
        var decoder = UTF8()
        var s = ""
        loop: while true {
            switch decoder.decode(&it) {
            case .scalarValue(let v): s.unicodeScalars.append(v)
            case .emptyInput: break loop
            case .error: return nil
            }
        }
        self = s
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    init(format2 y: Int, _ mo: Int, _ d: Int, _ h: Int, _ mi: Int, _ s: Int) {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        self = "\(y)-\(two(mo))-\(two(d))T\(two(h)):\(two(mi)):\(two(s))Z"
    }
}
