import Media
import SIPCore
import SIPTransport

/// Whether calls between registered users are bridged through the B2BUA so
/// that their media can be anchored in the relay (`[media] local_calls`),
/// or proxied as before with media flowing phone to phone.
public enum LocalCallMedia: String, Sendable, Equatable, CaseIterable {
    /// Bridged; relayed when the caller's SDP or the callee's registration looks NATed.
    case nat
    /// Bridged and always relayed (media topology hiding between users).
    case always
    /// Proxied (RFC 3261 16), media end to end.
    case never

    /// The B2BUA request for an INVITE to `targets` (one AOR's contacts, in
    /// the location service's order). The B2BUA has no parallel fork: the
    /// contacts are tried one after another, each until its final response.
    func bridge(_ invite: SIPMessage, targets: [[ForwardTarget]], caller: String?) -> B2BUARequest {
        let srtp: MediaPolicy.SRTP = Self.offersSDES(invite) ? .optional : .off
        let candidates = targets.joined().map { target in
            B2BUATarget(target: target, media: MediaPolicy(relay: relay(for: target), allowedCodecs: [], srtp: srtp))
        }
        let from = try? invite.from()
        let accounting = CallAccounting(
            callClass: .local, caller: caller ?? from?.uri.user ?? "", dialled: (try? invite.requestURI())?.description ?? "",
            source: caller ?? "")
        return B2BUARequest(candidates: Array(candidates), accounting: accounting)
    }

    /// `always` relays every call; `nat` relays when the callee registered
    /// from behind a NAT, and leaves the caller's side to the B2BUA's own check.
    func relay(for target: ForwardTarget) -> MediaPolicy.Relay {
        switch self {
        case .always: return .always
        case .never: return .never
        case .nat: return Self.looksNATed(target) ? .always : .whenNAT
        }
    }

    /// A contact whose host is a private address or is not where its REGISTER came from.
    static func looksNATed(_ target: ForwardTarget) -> Bool {
        var host = Substring(target.uri.host)
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        let address = String(host)
        if B2BUA.isPrivate(address) { return true }
        guard let flow = target.flow else { return false }
        return flow.address.ip != address
    }

    /// Whether the INVITE's SDP offers SDES keys (RFC 4568) on any stream.
    static func offersSDES(_ invite: SIPMessage) -> Bool {
        guard B2BUA.isSDP(invite), let offer = try? MediaAnchor.parse(Array(invite.body)) else { return false }
        return offer.media.contains { $0.port != 0 && $0.hasAttribute(named: "crypto") }
    }
}
