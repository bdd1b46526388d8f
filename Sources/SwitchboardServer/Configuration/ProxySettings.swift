import CallCore
import SIPCore

/// `[proxy]`: how requests are forwarded, and the static routes
/// (`[[proxy.route]]`) that decide where.
public struct ProxySettings: Hashable, Sendable {
    /// Whether Switchboard adds Record-Route so in-dialog requests come back through it.
    public var recordRoute: Bool
    /// Route header values added to every forwarded out-of-dialog request (RFC 3261 16.6 step 6).
    public var preloadedRoutes: [String]
    public var routes: [Route]

    /// One `[[proxy.route]]`: a match and either targets or a rejection.
    public struct Route: Hashable, Sendable {
        public var domain: String
        public var userPrefix: String?
        /// Targets tried at once (parallel fork); with `serial`, one after another.
        public var targets: [String]
        public var serial: Bool
        /// A final response instead of forwarding.
        public var rejectStatus: Int?
        public var rejectReason: String
    }

    public init(recordRoute: Bool = true, preloadedRoutes: [String] = [], routes: [Route] = []) {
        self.recordRoute = recordRoute
        self.preloadedRoutes = preloadedRoutes
        self.routes = routes
    }

    init(reading section: inout ConfigurationSection) {
        recordRoute = section.boolean("record_route", default: true)
        var preloaded: [String] = []
        for (text, path) in section.strings("preloaded_routes", default: []) {
            guard (try? SIPURI(text)) != nil else {
                section.diagnostics.report(.invalid("not a SIP URI: \"\(text)\""), at: path)
                continue
            }
            preloaded.append("<\(text)>")
        }
        preloadedRoutes = preloaded
        var routes: [Route] = []
        for var table in section.tables("route") {
            let domain = table.string("domain", default: "")
            if domain.isEmpty || !(domain == "*" || SIPSettings.isHostName(domain.hasPrefix("*.") ? String(domain.dropFirst(2)) : domain)) {
                table.report(.invalid("domain must be a host name, *.domain or * (got \"\(domain)\")"), at: "domain")
            }
            let prefix = table.string("user_prefix", default: "")
            var targets: [String] = []
            for (text, path) in table.strings("to", default: []) {
                guard let uri = try? SIPURI(text), uri.scheme == .sip || uri.scheme == .sips else {
                    table.diagnostics.report(.invalid("not a sip: or sips: URI: \"\(text)\""), at: path)
                    continue
                }
                targets.append(uri.description)
            }
            let serial = table.boolean("serial", default: false)
            let hasReject = table.has("reject")
            let reject = table.integer("reject", default: 404, range: 300...699)
            let reason = table.string("reason", default: hasReject ? "Rejected" : "")
            if hasReject == !targets.isEmpty {
                table.report(.invalid("give either to = [...] or reject = STATUS"), at: hasReject ? "reject" : "to")
            }
            table.rejectUnknownKeys()
            routes.append(
                Route(
                    domain: domain.lowercased(), userPrefix: prefix.isEmpty ? nil : prefix, targets: targets, serial: serial,
                    rejectStatus: hasReject ? reject : nil, rejectReason: reason))
        }
        self.routes = routes
    }

    /// The compiled table the proxy core consults (404 when nothing matches).
    public func routeTable() -> RouteTable {
        RouteTable(
            rules: routes.map { r in
                let outcome: RouteOutcome
                if let status = r.rejectStatus {
                    outcome = .reject(status: status, reason: r.rejectReason)
                } else {
                    let uris = r.targets.compactMap { try? SIPURI($0) }
                    outcome = .forward(uris: r.serial ? uris.map { [$0] } : [uris])
                }
                return RouteTable.Rule(domain: r.domain, userPrefix: r.userPrefix, outcome: outcome)
            })
    }
}
