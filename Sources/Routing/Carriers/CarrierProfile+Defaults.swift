extension CarrierProfile {
    /// Twilio Elastic SIP Trunking: `{trunk}.pstn.twilio.com` or a regional
    /// edge `{trunk}.pstn.{edge}.twilio.com`; `+E.164`; PCMU/PCMA with
    /// telephone-event; 1 CPS per trunk by default; IP access lists, or
    /// credential lists challenged with 407; secure trunking is TLS 5061 with
    /// SRTP. The caller ID must be a Twilio or verified number.
    public static func twilio(
        trunk: String, edge: String? = nil, secondaryEdge: String? = nil, credentials: (username: String, password: String)? = nil,
        secure: Bool = false
    ) -> CarrierProfile {
        func host(_ edge: String?) -> TerminationHost {
            TerminationHost(edge.map { "\(trunk).pstn.\($0).twilio.com" } ?? "\(trunk).pstn.twilio.com")
        }
        return CarrierProfile(
            name: "twilio",
            primaryHost: host(edge),
            secondaryHost: secondaryEdge.map { host($0) },
            transport: secure ? .tls : .udp,
            authentication: credentials.map { .digest(username: $0.username, password: $0.password, challengeStatuses: [407]) }
                ?? .ipAddress,
            numberFormat: .plusE164,
            codecs: ["PCMU", "PCMA", "telephone-event"],
            callsPerSecond: 1,
            extensions: [.update, .sessionTimer],
            requiresSRTP: secure)
    }

    /// Vonage SIP Trunking: `{domain}.sip-{region}.vonage.com` (us, eu,
    /// apac); E.164 without `+`; PCMA, PCMU, G.729, G.722, iLBC and RFC 2833
    /// DTMF; 3 CPS; digest credentials per domain; REFER unsupported.
    public static func vonage(
        domain: String, region: String = "us", secondaryRegion: String? = nil, username: String, password: String
    ) -> CarrierProfile {
        CarrierProfile(
            name: "vonage",
            primaryHost: TerminationHost("\(domain).sip-\(region).vonage.com"),
            secondaryHost: secondaryRegion.map { TerminationHost("\(domain).sip-\($0).vonage.com") },
            transport: .udp,
            authentication: .digest(username: username, password: password),
            numberFormat: .e164,
            codecs: ["PCMA", "PCMU", "G729", "G722", "iLBC", "telephone-event"],
            callsPerSecond: 3,
            extensions: [.prack, .update, .sessionTimer])
    }

    /// Plivo Zentrunk: `{trunk-id}.zt.plivo.com`; PCMU and PCMA only; 2 CPS
    /// per account; no PRACK, no INFO; credential trunks are challenged with
    /// 401; billed per second. `+E.164` is assumed (not in CARRIERS.md).
    public static func plivo(trunkID: String, credentials: (username: String, password: String)? = nil) -> CarrierProfile {
        CarrierProfile(
            name: "plivo",
            primaryHost: TerminationHost("\(trunkID).zt.plivo.com"),
            transport: .udp,
            authentication: credentials.map { .digest(username: $0.username, password: $0.password, challengeStatuses: [401]) }
                ?? .ipAddress,
            numberFormat: .plusE164,
            codecs: ["PCMU", "PCMA", "telephone-event"],
            callsPerSecond: 2,
            extensions: [.update, .sessionTimer])
    }

    /// Bandwidth voice: a SIP peer recognized by source IP (no digest), at
    /// the hosts Bandwidth assigns per site; E.164 numbers; G.711 with
    /// telephone-event. CARRIERS.md gives no CPS or channel default: set them per account.
    public static func bandwidth(primary: String, secondary: String? = nil) -> CarrierProfile {
        CarrierProfile(
            name: "bandwidth",
            primaryHost: TerminationHost(primary),
            secondaryHost: secondary.map { TerminationHost($0) },
            transport: .udp,
            authentication: .ipAddress,
            numberFormat: .plusE164,
            codecs: ["PCMU", "PCMA", "telephone-event"],
            callsPerSecond: nil,
            extensions: [.update, .sessionTimer])
    }
}
