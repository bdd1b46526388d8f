/// `[sip]`: where SIP is received, which domains are local, how Switchboard names itself.
public struct SIPSettings: Hashable, Sendable {
    public var listen: [ListenAddress]
    /// Domains handled locally, lower-cased.
    public var domains: [String]
    /// User-Agent (requests) and Server (responses) header value; empty omits them.
    public var userAgent: String
    public var limits: SIPLimits
    public var timers: SIPTimers
    public var tls: TLSSettings
    /// DNS server for RFC 3263 lookups (NAPTR, SRV, A/AAAA) of next-hop names; nil: names are not resolved.
    public var nameserver: IPEndpoint?
    /// Threads receiving on each UDP listener (`udp_receive_threads`).
    public var udpReceiveThreads: Int

    public init(
        listen: [ListenAddress], domains: [String] = [], userAgent: String = "Switchboard",
        limits: SIPLimits = SIPLimits(), timers: SIPTimers = SIPTimers(), tls: TLSSettings = TLSSettings(),
        nameserver: IPEndpoint? = nil, udpReceiveThreads: Int = 1
    ) {
        self.nameserver = nameserver
        self.udpReceiveThreads = udpReceiveThreads
        self.listen = listen
        self.domains = domains
        self.userAgent = userAgent
        self.limits = limits
        self.timers = timers
        self.tls = tls
    }

    static let defaultListen = ["udp://127.0.0.1:5060", "tcp://127.0.0.1:5060"]

    init(reading section: inout ConfigurationSection) {
        let diagnostics = section.diagnostics
        self.listen = ListenAddress.parseList(section.strings("listen", default: Self.defaultListen)) {
            diagnostics.report($0, at: $1)
        }
        var domains: [String] = []
        var firstDomain: [String: ConfigurationKeyPath] = [:]
        for (text, path) in section.strings("domains", default: []) {
            let domain = text.lowercased()
            guard Self.isHostName(domain) else {
                diagnostics.report(.invalid("invalid domain \"\(text)\""), at: path)
                continue
            }
            if let first = firstDomain[domain] {
                diagnostics.report(.duplicate("domain \(domain)", of: first.description), at: path)
                continue
            }
            firstDomain[domain] = path
            domains.append(domain)
        }
        self.domains = domains
        self.userAgent = section.string("user_agent", default: "Switchboard")
        self.udpReceiveThreads = section.integer("udp_receive_threads", default: 1, range: 1...64)
        let nameserverText = section.string("nameserver", default: "")
        if nameserverText.isEmpty {
            self.nameserver = nil
        } else {
            do {
                self.nameserver = try IPEndpoint(parsing: Substring(nameserverText), defaultPort: 53)
            } catch {
                self.nameserver = nil
                section.report(error, at: "nameserver")
            }
        }
        if userAgent.utf8.count > 256 || userAgent.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            section.report(.invalid("must be at most 256 bytes without control characters"), at: "user_agent")
        }
        var limitsSection = section.section("limits")
        self.limits = SIPLimits(reading: &limitsSection)
        limitsSection.rejectUnknownKeys()
        var timersSection = section.section("timers")
        self.timers = SIPTimers(reading: &timersSection)
        timersSection.rejectUnknownKeys()
        var tlsSection = section.section("tls")
        self.tls = TLSSettings(reading: &tlsSection)
        tlsSection.rejectUnknownKeys()
    }

    /// RFC 3261 25.1 `hostname`: dot-separated labels of letters, digits and
    /// inner hyphens, an optional trailing dot.
    static func isHostName(_ text: String) -> Bool {
        var labels = text.split(separator: ".", omittingEmptySubsequences: false)
        if labels.count > 1, labels.last?.isEmpty == true { labels.removeLast() }
        guard !labels.isEmpty, text.utf8.count <= 253 else { return false }
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63
                && label.first != "-" && label.last != "-"
                && label.utf8.allSatisfy { ConfigurationKeyPath.isBareKeyByte($0) && $0 != UInt8(ascii: "_") }
        }
    }
}
