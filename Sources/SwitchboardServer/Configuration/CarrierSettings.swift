import Registrar
import Routing

/// One `[[carrier]]`: a trunk calls can be sent to, its profile (hosts,
/// transport, authentication, number format, codecs, limits, failover), its
/// rank among carriers of equal cost and the rate deck that prices it.
public struct CarrierSettings: Hashable, Sendable {
    /// `auth`: how the carrier recognizes Switchboard.
    public enum AuthenticationMode: String, CaseIterable, Hashable, Sendable {
        /// By source address (the carrier's IP access list).
        case ip
        /// Digest credentials `username` and `password`.
        case digest
    }

    /// `number_format`: how numbers are written towards the carrier.
    public enum NumberFormatName: String, CaseIterable, Hashable, Sendable {
        case plusE164 = "+e164"
        case e164
        case national
    }

    public var preset: CarrierPreset
    /// Everything the call core needs to reach the carrier.
    public var profile: CarrierProfile
    public var weight: CarrierWeight
    /// A disabled carrier stays declared (pins may name it) but gets no calls.
    public var enabled: Bool
    /// The rate deck path as written; "" for a carrier priced by no deck (pins only).
    public var rateDeck: String
    /// `inbound_sources`: networks the carrier's calls come from; by default
    /// its termination hosts given as addresses. Calls from them are not
    /// challenged and go to the `[[did]]` tables only.
    public var inboundSources: [String]
    /// `inbound_users`: authenticated users whose calls are this carrier's (a carrier that registers or authenticates).
    public var inboundUsers: [String]
    /// `owned_numbers`: the numbers the account owns or verified; only they
    /// pass as From/P-Asserted-Identity towards the carrier. Empty: any number passes.
    public var ownedNumbers: [NumberRange]
    /// `default_caller_id`: sent instead of a number that is not owned; nil refuses such calls (403).
    public var defaultCallerID: E164Number?
    /// `identity_trusted`: the carrier is in Switchboard's trust domain (RFC
    /// 3325 2.3), so P-Asserted-Identity is sent even with `Privacy: id`.
    public var identityTrusted: Bool
    /// Where the carrier's table starts (`carrier[2]`), for errors found later.
    let path: ConfigurationKeyPath

    public var name: String { profile.name }

    init(reading section: inout ConfigurationSection) {
        path = section.path
        let name = section.string("name", default: "")
        if name.isEmpty || !name.utf8.allSatisfy(ConfigurationKeyPath.isBareKeyByte) {
            section.report(.invalid("a carrier name is letters, digits, '-' and '_' (got \"\(name)\")"), at: "name")
        }
        preset = section.choice("profile", default: CarrierPreset.generic, what: "carrier profile")

        let primaryText = section.string("primary", default: "")
        var primary = TerminationHost("invalid")
        if primaryText.isEmpty {
            section.report(.invalid("required: the carrier's termination host, HOST[:PORT]"), at: "primary")
        } else if let host = Self.host(primaryText, section: section, key: "primary") {
            primary = host
        }
        var profile = preset.profile(name: name, primary: primary)
        let secondaryText = section.string("secondary", default: "")
        profile.secondaryHost = secondaryText.isEmpty ? nil : Self.host(secondaryText, section: section, key: "secondary")
        profile.transport = section.choice("transport", default: profile.transport, what: "transport")
        profile.requiresSRTP = section.boolean("srtp", default: profile.requiresSRTP)

        let auth = section.choice("auth", default: preset.defaultAuthentication, what: "authentication")
        let username = section.string("username", default: "")
        let password = section.string("password", default: "")
        switch auth {
        case .ip:
            if !username.isEmpty { section.report(.invalid("only with auth = \"digest\""), at: "username") }
            if !password.isEmpty { section.report(.invalid("only with auth = \"digest\""), at: "password") }
            profile.authentication = .ipAddress
        case .digest:
            if username.isEmpty { section.report(.invalid("required with auth = \"digest\""), at: "username") }
            if password.isEmpty { section.report(.invalid("required with auth = \"digest\""), at: "password") }
            profile.authentication = .digest(
                username: username, password: password, challengeStatuses: preset.challengeStatuses)
        }

        let defaultFormat: NumberFormatName = profile.numberFormat == .e164 ? .e164 : .plusE164
        switch section.choice("number_format", default: defaultFormat, what: "number format") {
        case .plusE164: profile.numberFormat = .plusE164
        case .e164: profile.numberFormat = .e164
        case .national:
            let country = section.string("national_country_code", default: "1")
            if country.isEmpty || country.count > 3 || !country.allSatisfy(\.isASCIIDigit) || country.hasPrefix("0") {
                section.report(.invalid("a country code is 1 to 3 digits (got \"\(country)\")"), at: "national_country_code")
            }
            let trunk = section.string("national_trunk_prefix", default: "")
            let international = section.string("international_prefix", default: "")
            for (value, key) in [(trunk, "national_trunk_prefix"), (international, "international_prefix")]
            where !value.allSatisfy(\.isASCIIDigit) {
                section.report(.invalid("digits only (got \"\(value)\")"), at: key)
            }
            profile.numberFormat = .national(
                .init(countryCode: country, trunkPrefix: trunk, internationalPrefix: international.isEmpty ? nil : international))
        }

        var codecs: [String] = []
        for (codec, codecPath) in section.strings("codecs", default: profile.codecs) {
            if codec.isEmpty || codec.contains(where: { $0 == " " || $0 == "/" }) {
                section.diagnostics.report(.invalid("a codec is an SDP encoding name such as PCMU (got \"\(codec)\")"), at: codecPath)
            } else {
                codecs.append(codec)
            }
        }
        if codecs.isEmpty { section.report(.invalid("at least one codec is needed"), at: "codecs") }
        profile.codecs = codecs

        let cps = section.integer("cps", default: profile.callsPerSecond ?? 0, range: 0...100_000)
        profile.callsPerSecond = cps == 0 ? nil : cps
        let channels = section.integer("channels", default: 0, range: 0...1_000_000)
        profile.channelLimit = channels == 0 ? nil : channels
        let extensions = section.strings(
            "extensions", default: profile.extensions.map(\.rawValue).sorted()
        ).map(\.value)
        profile.extensions = Set(extensions.map(SIPExtension.init(rawValue:)))

        profile.failover = FailoverPolicy(
            failoverStatuses: Self.statuses(&section, "failover_on", default: ["5xx", "408"]),
            neverFailoverStatuses: Self.statuses(&section, "never_failover_on", default: ["404", "484", "486", "603"]),
            failoverOnTimeout: section.boolean("failover_on_timeout", default: true))

        weight = CarrierWeight(
            preference: section.integer("preference", default: 0, range: 0...1000),
            weight: section.integer("weight", default: 1, range: 0...1000))
        enabled = section.boolean("enabled", default: true)
        rateDeck = section.string("rate_deck", default: "")

        let defaultSources = [profile.primaryHost, profile.secondaryHost].compactMap { host -> String? in
            guard let host, (try? TrustedSources(parsing: [host.host])) != nil else { return nil }
            return host.host
        }
        inboundSources = section.networks("inbound_sources", default: defaultSources)
        inboundUsers = section.strings("inbound_users", default: []).map(\.value)
        let namedHosts = [profile.primaryHost, profile.secondaryHost].compactMap { $0 }.filter { host in
            (try? TrustedSources(parsing: [host.host])) == nil
        }
        if !section.has("inbound_sources"), inboundUsers.isEmpty, let named = namedHosts.first {
            // Calls are told apart by their source address; a host name gives none.
            section.diagnostics.warn(
                "\(named.host) is a host name: calls from this carrier are not recognised as inbound "
                    + "(list its signalling networks in inbound_sources, or its users in inbound_users)",
                at: section.path.appending("inbound_sources"))
        }
        ownedNumbers = NumberRange.list(&section, "owned_numbers")
        let defaultText = section.string("default_caller_id", default: "")
        defaultCallerID = E164Number(defaultText)
        if !defaultText.isEmpty, defaultCallerID == nil {
            section.report(.invalid("an E.164 number such as +14155550100 (got \"\(defaultText)\")"), at: "default_caller_id")
        }
        identityTrusted = section.boolean("identity_trusted", default: true)
        self.profile = profile
    }

    /// `HOST[:PORT]`: a host name, an IPv4 address or a bracketed IPv6 address.
    static func host(_ text: String, section: ConfigurationSection, key: String) -> TerminationHost? {
        var hostText = Substring(text)
        var portText: Substring?
        if hostText.hasPrefix("[") {
            guard let close = hostText.firstIndex(of: "]") else {
                section.report(.invalid("missing \"]\" after the IPv6 address in \"\(text)\""), at: key)
                return nil
            }
            let rest = hostText[hostText.index(after: close)...]
            if rest.hasPrefix(":") { portText = rest.dropFirst() } else if !rest.isEmpty {
                section.report(.invalid("expected \":PORT\" after \"]\" in \"\(text)\""), at: key)
                return nil
            }
            guard let endpoint = try? IPEndpoint(parsing: hostText[...close], defaultPort: 0) else {
                section.report(.invalid("invalid IPv6 address in \"\(text)\""), at: key)
                return nil
            }
            hostText = Substring(endpoint.host)
        } else {
            if let colon = hostText.firstIndex(of: ":") {
                portText = hostText[hostText.index(after: colon)...]
                hostText = hostText[..<colon]
            }
            guard SIPSettings.isHostName(String(hostText)) else {
                section.report(.invalid("invalid host \"\(hostText)\" (expected HOST[:PORT])"), at: key)
                return nil
            }
        }
        guard let portText else { return TerminationHost(String(hostText).lowercased()) }
        guard let port = Int(portText), portText.allSatisfy(\.isASCIIDigit), (1...65535).contains(port) else {
            section.report(.invalid("invalid port \"\(portText)\" (1...65535)"), at: key)
            return nil
        }
        return TerminationHost(String(hostText).lowercased(), port: UInt16(port))
    }

    /// Final statuses given as `"503"` or a class `"5xx"`; `[]` is none.
    static func statuses(_ section: inout ConfigurationSection, _ key: String, default defaultValue: [String]) -> Set<Int> {
        var result: Set<Int> = []
        for (text, entryPath) in section.strings(key, default: defaultValue) {
            let lower = text.lowercased()
            if lower.count == 3, lower.hasSuffix("xx"), let first = lower.first?.wholeNumberValue, (3...6).contains(first) {
                result.formUnion(first * 100...first * 100 + 99)
            } else if let status = Int(lower), lower.allSatisfy(\.isASCIIDigit), (300...699).contains(status) {
                result.insert(status)
            } else {
                section.diagnostics.report(
                    .invalid("expected a final status 300...699 or a class such as \"5xx\" (got \"\(text)\")"), at: entryPath)
            }
        }
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
