import Routing

/// `profile` of a `[[carrier]]`: which carrier's documented defaults
/// (CARRIERS.md) fill the keys the table leaves out.
public enum CarrierPreset: String, CaseIterable, Hashable, Sendable {
    case twilio
    case vonage
    case plivo
    case bandwidth
    /// Plain SIP peer: UDP, IP authentication, `+E.164`, G.711, no CPS limit.
    case generic

    /// The profile the preset describes, around `primary`; the carrier's keys then override it.
    func profile(name: String, primary: TerminationHost) -> CarrierProfile {
        var profile: CarrierProfile
        switch self {
        case .twilio: profile = .twilio(trunk: "trunk")
        case .vonage: profile = .vonage(domain: "domain", username: "", password: "")
        case .plivo: profile = .plivo(trunkID: "trunk")
        case .bandwidth: profile = .bandwidth(primary: primary.host)
        case .generic: profile = CarrierProfile(name: name, primaryHost: primary, extensions: [.update, .sessionTimer])
        }
        profile.name = name
        profile.primaryHost = primary
        return profile
    }

    /// Digest challenges the carrier sends: Twilio 407, Plivo 401, others either.
    var challengeStatuses: Set<Int> {
        switch self {
        case .twilio: [407]
        case .plivo: [401]
        case .vonage, .bandwidth, .generic: [401, 407]
        }
    }

    /// Vonage trunks always authenticate with digest credentials.
    var defaultAuthentication: CarrierSettings.AuthenticationMode {
        self == .vonage ? .digest : .ip
    }
}
