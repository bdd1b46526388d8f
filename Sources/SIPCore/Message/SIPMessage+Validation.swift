/// What a receiving element checks before it acts on a message.
extension SIPMessage {
    /// Checks the syntax of every header Switchboard interprets and the
    /// presence of the mandatory ones (RFC 3261 8.1.1, 8.2, 16.3 step 1).
    /// Throws the error a server answers with; responses that fail are dropped.
    public func validate(limits: SIPParserLimits = SIPParserLimits()) throws(SIPParseError) {
        if isRequest {
            let uri = try requestURI()
            if uri.hasHeaders {
                // RFC 3261 19.1.1 table: headers are not allowed in a Request-URI (RFC 4475 3.1.2.10).
                throw .badRequest("Malformed Request-URI: headers not allowed", header: "Request-URI")
            }
        }
        let vias = try vias()
        guard !vias.isEmpty else { throw .badRequest("Missing Via header field", header: "Via") }
        if vias.count > limits.maxVias { throw .badRequest("More than \(limits.maxVias) Via values", header: "Via") }
        _ = try from()
        _ = try to()
        _ = try callIDBytes()
        let cseq = try cseq()
        if isRequest, cseq.method != method {
            throw .badRequest("CSeq method \(cseq.method) does not match \(method)", header: "CSeq")
        }
        _ = try maxForwards()
        _ = try contentType()
        _ = try expires()
        _ = try minExpires()
        _ = try date()
        _ = try retryAfter()
        if case .star? = try contact() {
            // RFC 3261 10.2.2/10.3 step 6: "*" only in REGISTER with Expires: 0.
            guard method == .register, try expires() == 0 else {
                throw .badRequest("Contact * requires REGISTER with Expires: 0", header: "Contact")
            }
        }
        for name in Self.validatedAddressHeaders { _ = try addresses(name) }
        _ = try geolocations()
        _ = try geolocationRouting()
        for name in Self.validatedTokenHeaders { _ = try optionTags(name) }
        _ = try allow()
        _ = try reasons()
        for name in Self.validatedAuthHeaders { try checkAuth(name) }
    }

    /// Address-list and option-tag headers `validate` checks, listed once.
    static let validatedAddressHeaders: [HeaderName] = [.route, .recordRoute, .pAssertedIdentity, .path]
    static let validatedTokenHeaders: [HeaderName] = [.require, .proxyRequire, .supported, .unsupported]
    static let validatedAuthHeaders: [HeaderName] = [.wwwAuthenticate, .proxyAuthenticate, .authorization, .proxyAuthorization]

    /// What a request's receiver supports: the input to `check(_:)`.
    public struct RequestPolicy: Sendable {
        /// A proxy checks Proxy-Require; a user agent server checks Require and the body.
        public enum Role: Sendable { case proxy, userAgentServer }
        public var role: Role
        /// Option tags this element implements (RFC 3261 8.2.2.3, 16.3 step 5).
        public var supportedOptionTags: Set<String>
        /// Body types a user agent server understands (RFC 3261 8.2.3), lowercased `type/subtype`.
        public var acceptedContentTypes: Set<String>

        /// Methods a user agent server implements; others get 501 (RFC 3261 8.2.1).
        public var implementedMethods: Set<SIPMethod>
        /// The body type a user agent server answers with; an Accept without it gets 406 (RFC 3261 8.2.3).
        public var answerContentType: String

        /// The defaults, built once: a policy is made per request.
        @usableFromInline static let sdpOnly: Set<String> = ["application/sdp"]
        @usableFromInline static let userAgentMethods: Set<SIPMethod> = [.invite, .ack, .cancel, .bye, .options, .register, .prack, .update, .info]

        public init(
            role: Role, supportedOptionTags: Set<String> = [], acceptedContentTypes: Set<String> = sdpOnly,
            implementedMethods: Set<SIPMethod> = userAgentMethods, answerContentType: String = "application/sdp"
        ) {
            self.role = role
            self.supportedOptionTags = supportedOptionTags
            self.acceptedContentTypes = acceptedContentTypes
            self.implementedMethods = implementedMethods
            self.answerContentType = answerContentType
        }
    }

    /// Validates a request and applies the checks of RFC 3261 8.2 (user agent
    /// server) or 16.3 (proxy): unimplemented method → 501, unknown URI scheme
    /// → 416, Max-Forwards 0 → 483, unsupported Require/Proxy-Require → 420
    /// (the error's reason lists the tags for the Unsupported header), unknown
    /// body type → 415, an Accept that excludes the answer's type → 406, a
    /// REGISTER whose To is not a SIP URI → 400 (RFC 3261 10.3 step 3).
    public func check(_ policy: RequestPolicy, limits: SIPParserLimits = SIPParserLimits()) throws(SIPParseError) {
        try validate(limits: limits)
        guard isRequest else { return }
        if policy.role == .userAgentServer, !policy.implementedMethods.contains(method) {
            throw SIPParseError(status: 501, reason: "Not Implemented: \(method)")
        }
        let uri = try requestURI()
        if uri.scheme == .other || (policy.role == .proxy && uri.scheme == .tel) {
            throw SIPParseError(status: 416, reason: "Unsupported URI Scheme: \(uri.schemeName)", header: "Request-URI")
        }
        if policy.role == .proxy, method != .ack, method != .cancel {
            if try maxForwards() == 0 { throw SIPParseError(status: 483, reason: "Too Many Hops", header: "Max-Forwards") }
        }
        let required = policy.role == .proxy ? try proxyRequire() : try require()
        let unsupported = required.filter { !policy.supportedOptionTags.contains($0.lowercased()) }
        if !unsupported.isEmpty, method != .ack, method != .cancel {
            throw SIPParseError(
                status: 420, reason: "Bad Extension: \(unsupported.joined(separator: ", "))",
                header: policy.role == .proxy ? "Proxy-Require" : "Require")
        }
        if policy.role == .userAgentServer, !body.isEmpty, let type = try contentType() {
            let name = "\(type.type)/\(type.subtype)".lowercased()
            if !policy.acceptedContentTypes.contains(name) {
                throw SIPParseError(status: 415, reason: "Unsupported Media Type: \(name)", header: "Content-Type")
            }
        }
        if policy.role == .userAgentServer, method == .invite, firstField(.accept) != nil {
            let wanted = policy.answerContentType.lowercased()
            let major = wanted.split(separator: "/").first.map(String.init) ?? wanted
            var acceptable = false
            forEachElement(.accept) { v in
                let type = v.prefix { $0 != ASCII.semicolon }.trimmingWhitespace().utf8String.lowercased()
                if type == wanted || type == "*/*" || type == "\(major)/*" { acceptable = true }
            }
            if !acceptable {
                throw SIPParseError(status: 406, reason: "Not Acceptable: Accept excludes \(wanted)", header: "Accept")
            }
        }
        if policy.role == .userAgentServer, method == .register {
            let aor = try to().uri
            guard aor.scheme == .sip || aor.scheme == .sips else {
                throw .badRequest("REGISTER To is not a SIP URI", header: "To")
            }
        }
    }
}
