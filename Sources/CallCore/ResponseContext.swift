import SIPCore
import SIPTransaction
import SIPTransport

/// RFC 3261 16.2's response context: one per proxied request, holding its
/// branches and the final responses received so far. A class: the proxy
/// updates it in place as responses arrive, with no copy of its messages.
/// Confined to its shard's queue.
final class ResponseContext {
    struct Branch {
        var transaction: ClientTransactionID
        var isFinal = false
    }

    /// The request after route preprocessing (what is forwarded).
    var request: SIPMessage
    /// The request as it arrived (responses are built from it).
    var received: SIPMessage
    var inbound: InboundMessage
    /// Target groups: each group in parallel, groups one after another.
    var groups: [[ForwardTarget?]]
    var nextGroup = 0
    var branches: [Branch] = []
    /// Branches waiting for their next hop's DNS lookup.
    var resolving = 0
    var finals: [SIPMessage] = []
    /// A final status this proxy produced itself for a branch (408, 503, …).
    var synthesizedStatus: (status: Int, reason: String)?
    var finalSent = false
    var cancelled = false
    let isInvite: Bool
    /// RFC 3261 16.6 step 8: the request's loop hash, the same in every branch.
    let loopHash: UInt32

    init(request: SIPMessage, received: SIPMessage, inbound: InboundMessage, groups: [[ForwardTarget?]], isInvite: Bool) {
        self.request = request
        self.received = received
        loopHash = ProxyRequest.loopHash(received)
        self.inbound = inbound
        self.groups = groups
        self.isInvite = isInvite
        isDialogCreating =
            [SIPMethod.invite, .subscribe, .refer, .notify].contains(request.method) && ((try? request.to().tag) ?? nil) == nil
    }

    /// Requests that can start a dialog get Record-Route (RFC 3261 12.1, 16.6 step 4).
    let isDialogCreating: Bool

    func synthesized(status: Int, reason: String) {
        if synthesizedStatus == nil || status == 408 { synthesizedStatus = (status, reason) }
    }
}
