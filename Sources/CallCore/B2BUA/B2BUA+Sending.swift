import SIPCore
import SIPTransaction
import SIPTransport

/// Getting requests out: next-hop resolution, our Via and Contact, client
/// transactions and ACKs for 2xx.
extension B2BUA {
    /// Finds where `nextHop` is, then calls `then` on the shard's queue:
    /// at once when known (a pinned flow, a numeric host, a cached answer),
    /// after the lookup otherwise; nil when nothing answers.
    func route(_ nextHop: SIPURI, flow: OutboundTarget?, then: @escaping @Sendable (OutboundTarget?) -> Void) {
        if let flow { return then(flow) }
        if let known = resolver.knownTargets(for: nextHop) { return then(known.first) }
        resolver.resolve(nextHop) { targets in then(targets.first) }
    }

    /// The flow requests to `leg` are pinned to: A's source when A's dialog
    /// has no route set; a registered contact's flow for B.
    func flow(_ call: B2BUACall, _ leg: B2BUALeg, dialog: Dialog?) -> OutboundTarget? {
        guard dialog?.routeSet.isEmpty ?? true else { return nil }
        switch leg {
        case .a: return call.aFlow
        case .b: return call.target.flatMap { $0.target.routeSet.isEmpty ? $0.target.flow : nil }
        }
    }

    func localAddress(toward outbound: OutboundTarget) -> SocketAddress? {
        sender.localAddress(toward: outbound) ?? settings.identity.listeners[outbound.transport]
    }

    /// Our Contact for a leg reached over `transport` at `local`.
    static func contact(_ local: SocketAddress, _ transport: TransportProtocol) -> String {
        switch transport {
        case .udp: return "<sip:\(local.hostText):\(local.port)>"
        case .tcp: return "<sip:\(local.hostText):\(local.port);transport=tcp>"
        case .tls: return "<sips:\(local.hostText):\(local.port);transport=tls>"
        }
    }

    func nextBranch(_ message: SIPMessage) -> String {
        uniqueCounter &+= 1
        return BranchFormat.make(shard: shard, loopHash: ProxyRequest.loopHash(message), unique: uniqueCounter)
    }

    /// Adds our Via (and Contact when asked) and starts a client transaction
    /// towards `outbound`; nil when it cannot be sent.
    func startClient(_ message: SIPMessage, to outbound: OutboundTarget, call: B2BUACall, purpose: Purpose, contact: Bool)
        -> (ClientTransactionID, SIPMessage)?
    {
        guard let local = localAddress(toward: outbound) else { return nil }
        var request = message
        if contact { request.appendHeader("Contact", value: Self.contact(local, outbound.transport)) }
        addCachedCredentials(&request, call: call)
        request.prependHeader("Via", value: "SIP/2.0/\(outbound.transport.viaToken) \(local.description);branch=\(nextBranch(request));rport")
        guard let id = try? layer.sendRequest(request, to: outbound) else { return nil }
        clientOwners[id] = ClientOwner(call: call.id, purpose: purpose)
        rememberChallengeable(id, request, to: outbound, call: call, purpose: purpose)
        call.clients.insert(id)
        if case .relay = purpose { call.relays.insert(id) }
        return (id, request)
    }

    /// Sends an in-dialog request on `leg`: resolved, then on a client
    /// transaction; a request that cannot leave counts as a 503 for `purpose`.
    func send(_ request: DialogRequest, call: B2BUACall, leg: B2BUALeg, purpose: Purpose, contact: Bool) {
        let dialog = call.dialog(leg).flatMap { dialogs[$0]?.dialog }
        route(request.nextHop, flow: flow(call, leg, dialog: dialog)) { [self] outbound in
            // A BYE still leaves after the call ended; anything else is not needed any more.
            if case .bye = purpose {} else if call.phase == .ended { return }
            if let outbound, startClient(request.message, to: outbound, call: call, purpose: purpose, contact: contact) != nil { return }
            requestFailed(call, purpose: purpose, transaction: nil, status: 503, reason: "Service Unavailable")
        }
    }

    /// Sends an ACK for a 2xx on `leg` (RFC 3261 13.2.2.4): statelessly, with
    /// a Via of its own, remembered to answer retransmissions of that 2xx.
    func sendAck(_ ack: DialogRequest, call: B2BUACall, leg: B2BUALeg) {
        let dialog = call.dialog(leg).flatMap { dialogs[$0]?.dialog }
        let cseq = (try? ack.message.cseq().sequence) ?? 0
        route(ack.nextHop, flow: flow(call, leg, dialog: dialog)) { [self] outbound in
            guard let outbound, let local = localAddress(toward: outbound) else { return }
            var message = ack.message
            addAckCredentials(&message, call: call)
            message.prependHeader("Via", value: "SIP/2.0/\(outbound.transport.viaToken) \(local.description);branch=\(nextBranch(message));rport")
            layer.sendStateless(message, to: outbound)
            call.acksSent[leg] = B2BUACall.SentAck(cseq: cseq, message: message, target: outbound)
        }
    }

    /// Answers leg A's INVITE with A's dialog identifiers: our tag, our
    /// Contact and A's Record-Route in responses that make a dialog (12.1.1).
    @discardableResult
    func respondToA(
        _ call: B2BUACall, status: Int, reason: String, body: ArraySlice<UInt8> = [], contentType: String? = nil,
        headers: [(String, String)] = []
    ) -> SIPMessage {
        var extra: [(String, String)] = []
        if status < 300 {
            extra.append(("Contact", call.aContact))
            for field in call.aInvite.fields(.recordRoute) { extra.append(("Record-Route", call.aInvite.value(of: field))) }
            extra.append(("Allow", Self.allow))
        }
        var response = call.aInvite.makeResponse(status: status, reason: reason, toTag: call.aDialog.localTag, extraHeaders: extra + headers)
        if !body.isEmpty { response.setBody(Array(body), contentType: contentType) }
        if status >= 200 {
            call.aFinalSent = true
            call.ledger.status = status
            call.ledger.reason = reason
        }
        _ = layer.respond(call.aTransaction, with: response)
        return response
    }

    /// Header fields copied from `message` when it is relayed to the other leg.
    static func copied(_ message: SIPMessage, _ names: [String]) -> [(String, String)] {
        var out: [(String, String)] = []
        for name in names {
            for field in message.fields(named: name) { out.append((name, message.value(of: field))) }
        }
        return out
    }

    /// Relayed with requests and responses inside a dialog.
    static let relayedHeaders = ["Content-Disposition", "Accept", "Event", "Subscription-State", "Info-Package", "Recv-Info", "Reason"]

    static func contentType(_ message: SIPMessage) -> String? {
        message.firstField(.contentType).map { message.value(of: $0) }
    }
}
