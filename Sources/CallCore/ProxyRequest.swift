import SIPCore
import SIPTransport

/// The request half of RFC 3261 section 16, as pure functions over messages:
/// validation (16.3), route preprocessing (16.4), and the copy sent to each
/// target (16.6).
public enum ProxyRequest {
    /// Option tags this proxy implements, for Proxy-Require (16.3 step 5).
    public static let supportedOptionTags: Set<String> = []
    /// What `validate` checks a request against (built once: its sets are not free to make).
    static let policy = SIPMessage.RequestPolicy(role: .proxy, supportedOptionTags: supportedOptionTags)

    /// RFC 3261 16.3: syntax, URI scheme, Max-Forwards, loop, Proxy-Require.
    /// Throws the response to send (400, 416, 420, 482, 483, …).
    public static func validate(
        _ request: SIPMessage, identity: ProxyIdentity, limits: SIPParserLimits = SIPParserLimits()
    ) throws(SIPParseError) {
        try request.check(policy, limits: limits)
        // 16.3 step 4: a Via of ours carrying this request's loop hash means it came back unchanged.
        if request.method != .ack && request.method != .cancel {
            var hash: UInt32?
            for via in try request.vias() where isOwn(via, identity) {
                guard let branch = via.branch, let carried = BranchFormat.loopHash(of: branch) else { continue }
                let own = hash ?? loopHash(request)
                hash = own
                if carried == own {
                    throw SIPParseError(status: 482, reason: "Loop Detected")
                }
            }
        }
    }

    /// RFC 3261 16.4: a Request-URI of ours means the previous hop was a
    /// strict router (restore the real Request-URI from the last Route);
    /// a first Route of ours is removed.
    public static func preprocessRoutes(_ request: inout SIPMessage, identity: ProxyIdentity) throws(SIPParseError) {
        let uri = try request.requestURI()
        var routes = Array(try request.routes())
        // What we place in Record-Route: our address, no user part, `lr`.
        if uri.user == nil, uri.isLooseRouter, identity.isOwnAddress(uri), let last = routes.last {
            request.setRequestURI(last.uri.description)
            routes.removeLast()
            rewriteRoutes(&request, routes)
        }
        if let first = try request.routes().first, identity.isLocal(first.uri) {
            request.removeFirstValue(.route)
        }
    }

    private static func rewriteRoutes(_ request: inout SIPMessage, _ routes: [NameAddress]) {
        request.removeHeaders("Route")
        for r in routes { request.appendHeader("Route", value: r.text) }
    }

    /// RFC 3261 16.6: the request sent to one target. `via` is the complete
    /// Via value (with the branch the client transaction uses);
    /// `recordRoute` is added when the proxy stays in the dialog path.
    public static func forward(
        _ request: SIPMessage, to target: SIPURI?, via: String?, recordRoute: [String], preloadedRoutes: [String] = []
    ) throws(SIPParseError) -> SIPMessage {
        try forwardWithNextHop(request, to: target, via: via, recordRoute: recordRoute, preloadedRoutes: preloadedRoutes).message
    }

    /// `forward`, and where the copy goes (16.6 step 7): to the Request-URI
    /// when step 6 rewrote it for a strict router, else to the first Route,
    /// else to the Request-URI.
    public static func forwardWithNextHop(
        _ request: SIPMessage, to target: SIPURI?, via: String?, recordRoute: [String], preloadedRoutes: [String] = []
    ) throws(SIPParseError) -> (message: SIPMessage, nextHop: SIPURI) {
        var strictRouted = false
        var out = request
        // Step 2: Request-URI.
        if let target, target.description != request.requestURIText { out.setRequestURI(target.description) }
        // Step 3: Max-Forwards.
        try out.decrementMaxForwards()
        // Step 4: Record-Route (above existing ones, last listed first in the header order).
        for value in recordRoute.reversed() { out.prependHeader("Record-Route", value: value) }
        // Step 6: pre-loaded routes, then strict-router interworking.
        for value in preloadedRoutes.reversed() { out.prependHeader("Route", value: value) }
        if let first = try out.routes().first, !first.uri.isLooseRouter {
            // The next hop is a strict router: it gets our Request-URI as its last Route and itself as Request-URI.
            let requestURI = out.requestURIText
            out.removeFirstValue(.route)
            out.appendHeader("Route", value: "<\(requestURI)>")
            out.setRequestURI(first.uri.description)
            strictRouted = true
        }
        // Step 8: our Via on top (the caller may add it once it knows the next hop).
        if let via { out.prependHeader("Via", value: via) }
        let nextHop = strictRouted ? try SIPURI(out.requestURIText) : try nextHop(of: out)
        return (out, nextHop)
    }

    /// The URI a request goes to next when no strict router is involved: its
    /// first Route, else its Request-URI (16.6 step 7).
    public static func nextHop(of forwarded: SIPMessage) throws(SIPParseError) -> SIPURI {
        if let route = try forwarded.routes().first { return route.uri }
        return try forwarded.requestURI()
    }

    /// RFC 3261 16.6 step 8: a hash of what identifies the request as it
    /// arrived; a loop brings it back with the same hash. The topmost Via is
    /// left out: a request that loops through other elements comes back with
    /// their Via on top, and must still be recognised (RFC 5393 4.2 reads the
    /// check the same way); a spiral comes back with a new Request-URI.
    public static func loopHash(_ request: SIPMessage) -> UInt32 {
        var h = FNV1a()
        h.add(field: request.requestURIBytes)
        for name in loopHashHeaders {
            for f in request.headerFields where f.name == name {
                let raw = request.rawValue(of: f)
                // A folded value is hashed unfolded, as it reads.
                if raw.contains(10) { h.add(request.value(of: f)) } else { h.add(field: raw) }
            }
        }
        if let cseq = try? request.cseq() { h.add(String(cseq.sequence)) }
        return h.value
    }

    /// The headers whose values go into the loop hash (with the Request-URI and the CSeq number).
    private static let loopHashHeaders: [HeaderName] = [.from, .to, .callID, .proxyRequire, .proxyAuthorization]

    static func isOwn(_ via: Via, _ identity: ProxyIdentity) -> Bool {
        identity.listeners.values.contains { address in
            address.ip == via.host && address.port == (via.port ?? 5060)
        }
    }
}

/// 32-bit FNV-1a, for loop hashes and shard selection (not security).
public struct FNV1a {
    public private(set) var value: UInt32 = 2_166_136_261
    public init() {}

    /// Hashes raw bytes, without a separator.
    public mutating func add(bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { add(buffer: $0) }
    }

    private mutating func add(buffer: UnsafeBufferPointer<UInt8>) {
        var h = value
        for b in buffer {
            h ^= UInt32(b)
            h &*= 16_777_619
        }
        value = h
    }

    /// Hashes raw bytes, without a separator; the same value as the slice form.
    public mutating func add<C: Collection<UInt8>>(bytes: C) {
        if bytes.withContiguousStorageIfAvailable({ add(buffer: $0) }) == nil { add(bytes: ArraySlice(bytes)) }
    }

    mutating func add(_ text: String) {
        var text = text
        text.withUTF8 { add(buffer: $0) }
        addSeparator()
    }

    /// Hashes one field's bytes and a separator, the same as `add(_:)` of its text.
    mutating func add(field bytes: ArraySlice<UInt8>) {
        add(bytes: bytes)
        addSeparator()
    }

    private mutating func addSeparator() {
        value ^= 0xFF
        value &*= 16_777_619
    }
}
