/// Typed access to header fields, parsed on each call from the bytes.
extension SIPMessage {
    /// The value of a header that must appear at most once with one value.
    func singleValue(_ name: HeaderName) throws(SIPParseError) -> ArraySlice<UInt8>? {
        guard presentNames.mayContain(name) else { return nil }
        if !presentNames.mayRepeat(name) { return firstField(name).map { storage[$0.valueRange] } }
        var found: HeaderField? = nil
        for f in headerFields where f.name == name {
            guard found == nil else { throw .badRequest("More than one \(name.canonicalName) header field", header: name.canonicalName) }
            found = f
        }
        return found.map { storage[$0.valueRange] }
    }

    private func required(_ name: HeaderName) throws(SIPParseError) -> ArraySlice<UInt8> {
        guard let v = try singleValue(name) else {
            throw .badRequest("Missing \(name.canonicalName) header field", header: name.canonicalName)
        }
        return v
    }

    /// The single address of From or To. A second top-level value is an
    /// error: the name-addr grammar stops at the comma before it.
    private func singleAddress(_ name: HeaderName) throws(SIPParseError) -> NameAddress {
        try NameAddress(parsing: try required(name), header: name)
    }

    // MARK: RFC 3261 mandatory headers

    /// The topmost Via value.
    public func topVia() throws(SIPParseError) -> Via {
        if let cached = topViaCache { return cached.via }
        return try parseTopVia()
    }

    /// Parses the topmost Via and keeps it, so that later `topVia()` calls
    /// (shard choice, transaction key, response routing) do not parse it
    /// again; the next edit of the message drops it.
    @discardableResult
    public mutating func cacheTopVia() throws(SIPParseError) -> Via {
        if let cached = topViaCache { return cached.via }
        let via = try parseTopVia()
        topViaCache = ParsedVia(via)
        return via
    }

    private func parseTopVia() throws(SIPParseError) -> Via {
        guard let f = firstField(.via), let first = ListSplitter(storage[f.valueRange]).first(where: { _ in true }) else {
            throw .badRequest("Missing Via header field", header: "Via")
        }
        return try Via(parsing: first)
    }

    /// Every Via value, top first.
    public func vias() throws(SIPParseError) -> HeaderValues<Via> {
        var out = HeaderValues<Via>()
        guard presentNames.mayContain(.via) else { return out }
        for f in headerFields where f.name == .via {
            var values = ListSplitter(storage[f.valueRange])
            while let v = values.next() { out.append(try Via(parsing: v)) }
        }
        return out
    }

    /// The number of Via values, without parsing them.
    public var viaCount: Int {
        var n = 0
        forEachElement(.via) { _ in n += 1 }
        return n
    }

    public func from() throws(SIPParseError) -> NameAddress { try singleAddress(.from) }
    public func to() throws(SIPParseError) -> NameAddress { try singleAddress(.to) }

    /// Call-ID = word [ "@" word ] (RFC 3261 20.8).
    public func callID() throws(SIPParseError) -> String {
        let v = try required(.callID)
        try Self.checkCallID(v)
        return v.utf8String
    }

    /// The Call-ID bytes, checked, without making a string.
    public func callIDBytes() throws(SIPParseError) -> ArraySlice<UInt8> {
        let v = try required(.callID)
        try Self.checkCallID(v)
        return v
    }

    static func checkCallID(_ v: ArraySlice<UInt8>) throws(SIPParseError) {
        let ats = try v.withRawBytes { (b) throws(SIPParseError) -> Int in
            var ats = 0
            var i = b.startIndex
            while i < b.endIndex {
                while i < b.endIndex, ASCII.is(b[i], .word) { i += 1 }
                guard i < b.endIndex else { break }
                guard b[i] == ASCII.at else { throw .malformed(.callID, "character not allowed") }
                ats += 1
                i += 1
            }
            return ats
        }
        guard !v.isEmpty, ats <= 1, v.first != ASCII.at, v.last != ASCII.at else { throw .malformed(.callID, "not word[@word]") }
    }

    public func cseq() throws(SIPParseError) -> CSeq { try CSeq(parsing: try required(.cseq)) }

    /// Max-Forwards (RFC 3261 20.22), 0…255; nil when absent (RFC 2543 peers omit it).
    public func maxForwards() throws(SIPParseError) -> Int? {
        guard let v = try singleValue(.maxForwards) else { return nil }
        guard let n = v.decimalValue(limit: 255) else { throw .malformed(.maxForwards, "not an integer 0-255") }
        return Int(n)
    }

    /// Content-Length as framing found it (the body length, trailing octets excluded).
    public var contentLength: Int { bodyRange.count }

    public func contentType() throws(SIPParseError) -> MediaType? {
        try singleValue(.contentType).map { (v) throws(SIPParseError) in try MediaType(parsing: v) }
    }

    // MARK: addresses and routes

    /// Contact: `*` or the list of addresses; nil when absent.
    public func contact() throws(SIPParseError) -> ContactValue? {
        guard firstField(.contact) != nil else { return nil }
        var list = HeaderValues<NameAddress>()
        var star = false
        for f in headerFields where f.name == .contact {
            var values = ListSplitter(storage[f.valueRange])
            while let v = values.next() {
                if v.count == 1, v.first == ASCII.star {
                    star = true
                } else {
                    list.append(try NameAddress(parsing: v, header: .contact))
                }
            }
        }
        if star {
            guard list.isEmpty else { throw .malformed(.contact, "* combined with addresses") }
            return .star
        }
        return .addresses(list)
    }

    /// Contact addresses (empty for `*` or when absent).
    public func contacts() throws(SIPParseError) -> HeaderValues<NameAddress> {
        if case .addresses(let a)? = try contact() { return a }
        return []
    }

    public func routes() throws(SIPParseError) -> HeaderValues<NameAddress> { try addresses(.route) }
    public func recordRoutes() throws(SIPParseError) -> HeaderValues<NameAddress> { try addresses(.recordRoute) }
    public func pAssertedIdentities() throws(SIPParseError) -> HeaderValues<NameAddress> { try addresses(.pAssertedIdentity) }
    public func paths() throws(SIPParseError) -> HeaderValues<NameAddress> { try addresses(.path) }

    /// Geolocation values (RFC 6442 4.1): each must be `<URI>` with parameters.
    public func geolocations() throws(SIPParseError) -> HeaderValues<NameAddress> {
        let list = try addresses(.geolocation)
        for g in list where !g.isNameAddr || g.displayName != nil {
            throw .malformed(.geolocation, "location must be <URI>")
        }
        return list
    }

    /// Geolocation-Routing (RFC 6442 4.2): `yes` → true, `no` → false.
    public func geolocationRouting() throws(SIPParseError) -> Bool? {
        guard let v = try singleValue(.geolocationRouting) else { return nil }
        let token = v.prefix { $0 != ASCII.semicolon }.trimmingWhitespace()
        if token.equalsLowercase("yes") { return true }
        if token.equalsLowercase("no") { return false }
        throw .malformed(.geolocationRouting, "expected yes or no")
    }

    func addresses(_ name: HeaderName) throws(SIPParseError) -> HeaderValues<NameAddress> {
        var out = HeaderValues<NameAddress>()
        guard presentNames.mayContain(name) else { return out }
        for f in headerFields where f.name == name {
            var values = ListSplitter(storage[f.valueRange])
            while let v = values.next() {
                guard !v.isEmpty else { throw .malformed(name, "empty value") }
                out.append(try NameAddress(parsing: v, header: name))
            }
        }
        return out
    }

    // MARK: scalar headers

    /// Expires (RFC 3261 20.19): delta-seconds below 2^32.
    public func expires() throws(SIPParseError) -> UInt32? {
        guard let v = try singleValue(.expires) else { return nil }
        guard let n = v.decimalValue() else { throw .malformed(.expires, "not delta-seconds below 2**32") }
        return UInt32(n)
    }

    public func minExpires() throws(SIPParseError) -> UInt32? {
        guard let v = try singleValue(.minExpires) else { return nil }
        guard let n = v.decimalValue() else { throw .malformed(.minExpires, "not delta-seconds") }
        return UInt32(n)
    }

    public func retryAfter() throws(SIPParseError) -> RetryAfter? {
        try singleValue(.retryAfter).map { (v) throws(SIPParseError) in try RetryAfter(parsing: v) }
    }

    public func date() throws(SIPParseError) -> SIPDate? {
        try singleValue(.date).map { (v) throws(SIPParseError) in try SIPDate(parsing: v) }
    }

    // MARK: option tags and methods

    public func require() throws(SIPParseError) -> OptionTags { try optionTags(.require) }
    public func proxyRequire() throws(SIPParseError) -> OptionTags { try optionTags(.proxyRequire) }
    public func supported() throws(SIPParseError) -> OptionTags { try optionTags(.supported) }
    public func unsupported() throws(SIPParseError) -> OptionTags { try optionTags(.unsupported) }

    /// Allow (RFC 3261 20.5).
    public func allow() throws(SIPParseError) -> AllowedMethods {
        AllowedMethods(try TokenList(self, .allow, error: "not a method"))
    }

    /// A comma-separated list of option tags; empty elements are skipped (RFC 3261 7.3.1 allows them in option-tag lists).
    public func optionTags(_ name: HeaderName) throws(SIPParseError) -> OptionTags {
        OptionTags(try TokenList(self, name, error: "not an option tag"))
    }

    // MARK: authentication, identity, reason

    public func wwwAuthenticate() throws(SIPParseError) -> [AuthenticationParameters] { try auth(.wwwAuthenticate) }
    public func proxyAuthenticate() throws(SIPParseError) -> [AuthenticationParameters] { try auth(.proxyAuthenticate) }
    public func authorization() throws(SIPParseError) -> [AuthenticationParameters] { try auth(.authorization) }
    public func proxyAuthorization() throws(SIPParseError) -> [AuthenticationParameters] { try auth(.proxyAuthorization) }

    /// Checks the syntax of every challenge or credentials of `name`, keeping nothing.
    func checkAuth(_ name: HeaderName) throws(SIPParseError) {
        guard presentNames.mayContain(name) else { return }
        for f in headerFields where f.name == name { try AuthenticationParameters.check(storage[f.valueRange], header: name) }
    }

    private func auth(_ name: HeaderName) throws(SIPParseError) -> [AuthenticationParameters] {
        var out: [AuthenticationParameters] = []
        guard presentNames.mayContain(name) else { return out }
        for f in headerFields where f.name == name {
            out.append(try AuthenticationParameters(parsing: storage[f.valueRange], header: name))
        }
        return out
    }

    public func reasons() throws(SIPParseError) -> HeaderValues<ReasonValue> {
        var out = HeaderValues<ReasonValue>()
        guard presentNames.mayContain(.reason) else { return out }
        for f in headerFields where f.name == .reason {
            var values = ListSplitter(storage[f.valueRange])
            while let v = values.next() { out.append(try ReasonValue(parsing: v)) }
        }
        return out
    }
}

extension ListSplitter {
    func first(where predicate: (ArraySlice<UInt8>) -> Bool) -> ArraySlice<UInt8>? {
        var it = self
        while let v = it.next() { if predicate(v) { return v } }
        return nil
    }
}
