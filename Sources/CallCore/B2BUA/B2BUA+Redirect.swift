import SIPCore
import SIPTransaction

/// A 3xx from the carrier leg (RFC 3261 8.1.3.4): its Contacts followed as
/// new candidates when the request says so, else relayed to the caller.
extension B2BUA {
    /// Handles a 3xx to the current leg B INVITE; false leaves it to the
    /// failover policy (`legBFinal`).
    func redirect(_ call: B2BUACall, _ response: SIPMessage) -> Bool {
        guard !call.aFinalSent, !call.cancelled else { return false }
        let status = response.statusCode
        if case .follow(let limit) = call.request.redirects, let current = call.target {
            let added = redirectTargets(response, from: current, call: call, room: limit - call.carrier.redirectTargets)
            if !added.isEmpty {
                call.request.candidates.insert(contentsOf: added, at: call.candidate + 1)
                call.carrier.redirectTargets += added.count
                statistics.redirectsFollowed += added.count
                log(call, "redirect followed", ["status": "\(status)", "targets": "\(added.count)"])
                startNextCandidate(call)
                return true
            }
        }
        if call.failover.failsOver(status), call.candidate + 1 < call.request.candidates.count { return false }
        for early in call.bEarly { dialogs.remove(early) }
        call.bEarly = []
        call.bDialog = nil
        respondToA(call, status: status, reason: response.reasonPhrase, headers: Self.copied(response, ["Contact", "Expires"]))
        end(call)
        return true
    }

    /// The Contacts of a 3xx as targets with the redirecting target's
    /// options, highest q first: SIP URIs not tried yet, at most `room` of
    /// them. Credentials go only where the realm is pinned or the host is the same.
    func redirectTargets(_ response: SIPMessage, from current: B2BUATarget, call: B2BUACall, room: Int) -> [B2BUATarget] {
        guard room > 0 else { return [] }
        let contacts = Array((try? response.contacts()) ?? [])
        let q: [Double] = contacts.map { contact in contact.parameters["q"].flatMap { Double($0) } ?? 1 }
        let order = contacts.indices.sorted { q[$0] != q[$1] ? q[$0] > q[$1] : $0 < $1 }
        var seen = Set(call.request.candidates.map { $0.target.uri.description })
        var out: [B2BUATarget] = []
        for index in order where out.count < room {
            let uri = contacts[index].uri
            guard uri.scheme == SIPURI.Scheme.sip || uri.scheme == SIPURI.Scheme.sips, seen.insert(uri.description).inserted else { continue }
            var target = current
            target.target = ForwardTarget(uri: uri)
            if current.credentials?.realm == nil, uri.host.lowercased() != current.target.uri.host.lowercased() { target.credentials = nil }
            out.append(target)
        }
        return out
    }
}
