// libFuzzer entry for the SIP message layer. Compiled together with the
// SIPCore sources by scripts/fuzz.sh (not part of any SwiftPM target:
// SwiftPM renames `main` and the link fails). With `-D FUZZ_SDP` the body
// is also parsed as SDP.
//
// Invariants checked (a violation is a crash libFuzzer reports):
// - no input traps (bounds, overflow, force unwrap) in parsing, typed
//   accessors, validation, editing, serialization or stream framing;
// - an untouched message serializes to the bytes it was parsed from, less
//   leading CRLFs and ignored trailing datagram octets (RFC 3261 7.5, 18.3);
// - a frame that StreamFramer cuts and SIPMessage accepts serializes to
//   exactly that frame;
// - with FUZZ_SDP, a parsed description's serialization parses again and
//   serializes to the same bytes.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSIPMessage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    FuzzSIP.datagram(input)
    FuzzSIP.stream(input)
    #if FUZZ_SDP
    FuzzSIP.sdp(input[...])
    #endif
    return 0
}

enum FuzzSIP {
    /// Parses `input` as one UDP datagram and exercises everything a server does with it.
    static func datagram(_ input: [UInt8]) {
        guard let message = try? SIPMessage(bytes: input, framing: .datagram) else { return }
        var leading = 0
        while leading < input.count, input[leading] == 0x0D || input[leading] == 0x0A { leading += 1 }
        let expected = Array(input[leading..<(input.count - message.trailingBytes)])
        if message.serialized() != expected {
            fatalError("untouched datagram did not serialize to its input: \(message.serialized().count) vs \(expected.count) octets")
        }
        read(message)
        edit(message)
        #if FUZZ_SDP
        sdp(message.body)
        #endif
    }

    /// Feeds `input` to a StreamFramer in three pieces and parses each frame.
    static func stream(_ input: [UInt8]) {
        var framer = StreamFramer()
        let cuts = [0, input.count / 3, 2 * input.count / 3, input.count]
        for i in 0..<3 {
            framer.append(input[cuts[i]..<cuts[i + 1]])
            do {
                while let frame = try framer.next() {
                    guard case .message(let bytes) = frame else { continue }
                    guard let message = try? SIPMessage(bytes: bytes, framing: .stream) else { continue }
                    if message.serialized() != bytes {
                        fatalError("untouched stream frame did not serialize to itself")
                    }
                    read(message)
                }
            } catch {
                // The connection would be closed; nothing more to frame.
                return
            }
        }
        _ = framer.bufferedCount
    }

    /// Every typed accessor, validation and the policy checks, each value's lazy properties touched.
    static func read(_ m: SIPMessage) {
        var sink = 0
        sink &+= m.method.rawValue.utf8.count &+ m.requestURIText.utf8.count &+ m.version.utf8.count
        sink &+= m.reasonPhrase.utf8.count &+ m.startLine.utf8.count &+ m.statusCode &+ m.contentLength
        if let uri = try? m.requestURI() { sink &+= touch(uri) }
        _ = try? m.validate()
        _ = try? m.validate(limits: SIPParserLimits(maxMessageSize: 512, maxHeaders: 8, maxVias: 2))
        _ = try? m.check(SIPMessage.RequestPolicy(role: .proxy))
        _ = try? m.check(SIPMessage.RequestPolicy(role: .userAgentServer, supportedOptionTags: ["timer", "100rel"]))
        if let v = try? m.topVia() { sink &+= touch(v) }
        for v in (try? m.vias()) ?? [] { sink &+= touch(v) }
        sink &+= m.viaCount
        if let a = try? m.from() { sink &+= touch(a) }
        if let a = try? m.to() { sink &+= touch(a) }
        sink &+= ((try? m.callID()) ?? "").utf8.count
        sink &+= ((try? m.callIDBytes()) ?? []).count
        if let c = try? m.cseq() { sink &+= Int(c.sequence) &+ c.description.utf8.count }
        sink &+= (try? m.maxForwards()) ?? 0
        if let t = try? m.contentType() {
            sink &+= t.description.utf8.count &+ (t.is("application", "sdp") ? 1 : 0)
            for p in t.parameters { sink &+= p.name.utf8.count }
        }
        if case .addresses(let list)? = try? m.contact() { for a in list { sink &+= touch(a) } }
        let addressLists: [() throws(SIPParseError) -> HeaderValues<NameAddress>] = [
            m.contacts, m.routes, m.recordRoutes, m.pAssertedIdentities, m.paths, m.geolocations,
        ]
        for list in addressLists {
            guard let values = try? list() else { continue }
            for a in values { sink &+= touch(a) }
            sink &+= values.count &+ (values.first.map(touch) ?? 0)
        }
        sink &+= Int((try? m.expires()) ?? 0) &+ Int((try? m.minExpires()) ?? 0)
        let tokenLists: [() throws(SIPParseError) -> OptionTags] = [m.require, m.proxyRequire, m.supported, m.unsupported]
        for list in tokenLists {
            guard let tags = try? list() else { continue }
            var seen = 0
            for t in tags { seen &+= 1; sink &+= t.utf8.count }
            precondition(seen == tags.count, "option tag count differs from iteration")
            sink &+= tags.contains("100rel") ? 1 : 0
        }
        if let methods = try? m.allow() {
            var seen = 0
            for method in methods { seen &+= 1; sink &+= method.rawValue.utf8.count }
            precondition(seen == methods.count, "Allow count differs from iteration")
            sink &+= methods.contains(.invite) ? 1 : 0
        }
        let authLists: [() throws(SIPParseError) -> [AuthenticationParameters]] = [
            m.wwwAuthenticate, m.proxyAuthenticate, m.authorization, m.proxyAuthorization,
        ]
        for list in authLists {
            for a in (try? list()) ?? [] {
                sink &+= a.scheme.utf8.count &+ a.parameters.count &+ a.qop.count &+ (a.isDigest ? 1 : 0)
                sink &+= (a.realm ?? "").utf8.count &+ (a.nonce ?? "").utf8.count &+ Int(a.nonceCount ?? 0)
                sink &+= (a.stale ? 1 : 0) &+ (a.response ?? "").utf8.count
            }
        }
        for r in (try? m.reasons()) ?? [] { sink &+= r.protocolName.utf8.count &+ (r.cause ?? 0) &+ (r.text ?? "").utf8.count }
        if let r = try? m.retryAfter() { sink &+= Int(r.seconds) &+ Int(r.duration ?? 0) &+ (r.comment ?? "").utf8.count }
        if let d = try? m.date() { sink &+= d.year &+ d.second }
        if let g = try? m.geolocationRouting() { sink &+= g ? 1 : 0 }
        for f in m.headerFields {
            sink &+= m.value(of: f).utf8.count &+ m.writtenName(of: f).utf8.count
            sink &+= m.values(named: m.writtenName(of: f)).count
        }
        if m.isRequest {
            let response = m.makeResponse(status: 400, reason: "Bad Request\r\n", toTag: "fz1", extraHeaders: [("Warning", "399 fuzz \"x\"")])
            sink &+= response.serialized().count
        }
        blackHole(sink)
    }

    /// What a proxy does to a request or response: the edits, then a serialization.
    static func edit(_ original: SIPMessage) {
        var m = original
        if m.isRequest {
            m.prependHeader("Via", value: "SIP/2.0/UDP 203.0.113.5:5060;branch=z9hG4bK-fuzz;rport")
            m.prependHeader("Record-Route", value: "<sip:203.0.113.5;lr>")
            _ = try? m.decrementMaxForwards()
            m.removeFirstValue(.route)
            m.setRequestURI("sip:+14155550123@198.51.100.9:5060")
            m.appendHeader("X-Switchboard", value: "fuzz")
        } else {
            m.removeFirstValue(.via)
            m.removeHeaders("Record-Route")
        }
        m.setHeader("Contact", value: "<sip:sb@203.0.113.5>")
        blackHole(m.serialized().count &+ m.text.utf8.count)
        m.setBody(Array("v=0\r\n".utf8), contentType: "application/sdp")
        blackHole(m.serialized().count)
        m.setBody([])
        blackHole(m.serialized().count)
    }

    #if FUZZ_SDP
    /// Parses `bytes` as SDP; a parsed description must survive its own serialization.
    static func sdp(_ bytes: ArraySlice<UInt8>) {
        guard let description = try? SessionDescription(parsing: bytes) else { return }
        let text = String(describing: description)
        guard let again = try? SessionDescription(parsing: Array(text.utf8)) else {
            fatalError("serialized SDP did not parse again")
        }
        if String(describing: again) != text {
            fatalError("serialized SDP changed on a second round trip")
        }
    }
    #endif

    static func touch(_ uri: SIPURI) -> Int {
        var n = uri.description.utf8.count &+ uri.schemeName.utf8.count &+ Int(uri.port ?? 0)
        n &+= (uri.user ?? "").utf8.count &+ (uri.rawUser ?? "").utf8.count &+ (uri.password ?? "").utf8.count
        n &+= uri.host.utf8.count &+ uri.hostPort.utf8.count &+ (uri.transport ?? "").utf8.count
        n &+= (uri.isLooseRouter ? 1 : 0) &+ (uri.maddr ?? "").utf8.count &+ (uri.userParameter ?? "").utf8.count
        for p in uri.parameters { n &+= p.name.utf8.count &+ (p.value ?? "").utf8.count }
        n &+= uri.headers.count &+ (uri.hasHeaders ? 1 : 0) &+ uri.opaquePart.utf8.count
        return n
    }

    static func touch(_ a: NameAddress) -> Int {
        var n = touch(a.uri) &+ (a.displayName ?? "").utf8.count &+ (a.tag ?? "").utf8.count
        n &+= Int(a.expires ?? 0) &+ (a.q.map { $0.isFinite ? 1 : 2 } ?? 0) &+ a.text.utf8.count
        for p in a.parameters { n &+= p.name.utf8.count &+ (p.value ?? "").utf8.count }
        return n &+ (a.isNameAddr ? 1 : 0)
    }

    static func touch(_ v: Via) -> Int {
        var n = v.protocolName.utf8.count &+ v.protocolVersion.utf8.count &+ v.transport.utf8.count
        n &+= v.host.utf8.count &+ v.sentBy.utf8.count &+ Int(v.port ?? 0) &+ Int(v.ttl ?? 0)
        n &+= (v.branch ?? "").utf8.count &+ (v.hasRFC3261Branch ? 1 : 0) &+ (v.received ?? "").utf8.count
        n &+= (v.maddr ?? "").utf8.count &+ Int((v.rport ?? nil) ?? 0) &+ (v.isTransport("udp") ? 1 : 0)
        for p in v.parameters { n &+= p.name.utf8.count }
        return n
    }

    @inline(never)
    static func blackHole(_ value: Int) {
        withExtendedLifetime(value) {}
    }
}
