import SIPCore
import SIPTransaction
import SIPTransport

/// Requests inside a bridged call's dialogs: BYE ends both legs, re-INVITE
/// and UPDATE (RFC 3311) and other requests are relayed to the other leg,
/// REFER is refused, ACKs for 2xx are carried across.
extension B2BUA {
    /// Takes a request with a To tag that belongs to a bridged call: checked
    /// against its dialog (481, 500) and handled. False when it is not ours
    /// (the proxy forwards it).
    public func receiveInDialog(_ request: SIPMessage, transaction: ServerTransactionID) -> Bool {
        // No bridged call on this shard (a plain proxy): only our own Call-IDs concern us, without parsing From and To.
        if dialogs.count == 0, let callID = try? request.callID(), !isOurs(callID: callID) { return false }
        guard let id = DialogID(receivedRequest: request) else { return false }
        guard dialogs[id] != nil else {
            guard isOurs(callID: id.callID) else { return false }
            statistics.rejectedInDialog += 1
            let error = DialogError.doesNotExist
            _ = layer.respond(transaction, with: request.makeResponse(status: error.status, reason: error.reason))
            return true
        }
        let entry: DialogTable<DialogOwner>.Entry
        do {
            entry = try dialogs.receive(request)
        } catch {
            statistics.rejectedInDialog += 1
            _ = layer.respond(transaction, with: request.makeResponse(status: error.status, reason: error.reason))
            return true
        }
        guard let call = calls[entry.owner.call] else {
            _ = layer.respond(transaction, with: request.makeResponse(status: 481, reason: "Call/Transaction Does Not Exist"))
            return true
        }
        let leg = entry.owner.leg
        switch request.method {
        case .bye:
            _ = layer.respond(transaction, with: request.makeResponse(status: 200, reason: "OK"))
            log(call, "BYE", ["from": "\(leg)"])
            tearDown(call, legs: [leg.other], reason: Self.copied(request, ["Reason"]))
        case .refer:
            // Transfers are not carried out here; a peer that cannot take REFER makes it 501.
            let supported = call.target?.supportsRefer ?? false
            let response =
                supported
                ? request.makeResponse(status: 603, reason: "Decline")
                : request.makeResponse(status: 501, reason: "Not Implemented", extraHeaders: [("Allow", Self.allow)])
            _ = layer.respond(transaction, with: response)
        case .prack:
            // Switchboard sends no reliable provisional responses (RFC 3262 3: no match is 481).
            _ = layer.respond(transaction, with: request.makeResponse(status: 481, reason: "Call/Transaction Does Not Exist"))
        default:
            relay(call, from: leg, request, transaction: transaction)
        }
        return true
    }

    /// Relays a request to the other leg, built in that leg's dialog: body
    /// and selected header fields copied, our Contact in target refreshes.
    func relay(_ call: B2BUACall, from leg: B2BUALeg, _ request: SIPMessage, transaction: ServerTransactionID) {
        let method = request.method
        guard let otherID = call.dialog(leg.other), var other = dialogs[otherID], call.phase != .ended else {
            _ = layer.respond(transaction, with: request.makeResponse(status: 491, reason: "Request Pending", extraHeaders: [("Retry-After", "1")]))
            return
        }
        if method == .invite, call.reinviteInProgress || call.awaitingAck != nil {
            // RFC 3261 14.1/14.2: one INVITE at a time in a dialog.
            _ = layer.respond(transaction, with: request.makeResponse(status: 491, reason: "Request Pending"))
            return
        }
        let contentType = Self.contentType(request)
        guard let body = mediaRelayBody(call, from: leg, request, isOffer: true) else {
            _ = layer.respond(transaction, with: request.makeResponse(status: 488, reason: "Not Acceptable Here"))
            return
        }
        var headers = Self.copied(request, Self.relayedHeaders)
        if method == .invite || method == .update { headers += sessionTimerHeaders(call, towards: leg.other) }
        let relayed: DialogRequest
        do {
            relayed = try other.dialog.makeRequest(
                method, headers: headers, body: body, contentType: contentType)
        } catch {
            _ = layer.respond(transaction, with: request.makeResponse(status: 500, reason: "Server Internal Error"))
            return
        }
        dialogs[otherID] = other
        if method == .invite { call.reinviteInProgress = true }
        if leg.other == .b, !body.isEmpty { call.bOffer = (body, contentType ?? "application/sdp") }
        let target = Dialog.targetRefreshMethods.contains(method)
        send(relayed, call: call, leg: leg.other, purpose: .relay(Relay(origin: leg, transaction: transaction, request: request)), contact: target)
    }

    /// The other leg answered a relayed request: the answer goes back with
    /// the origin leg's identifiers.
    func relayResponse(_ call: B2BUACall, _ relay: Relay, _ response: SIPMessage, transaction: ClientTransactionID) {
        let status = response.statusCode
        guard status > 100 else { return }
        let method = relay.request.method
        let answering = relay.origin.other
        if status >= 200 {
            call.relays.remove(transaction)
            if method == .invite { call.reinviteInProgress = false }
        }
        if (200..<300).contains(status), Dialog.targetRefreshMethods.contains(method), let id = call.dialog(answering), var entry = dialogs[id] {
            entry.dialog.refreshTarget(from: response)
            dialogs[id] = entry
        }
        var headers = Self.copied(response, Self.relayedHeaders)
        if status < 300, Dialog.targetRefreshMethods.contains(method) {
            headers.append(("Contact", relay.origin == .a ? call.aContact : legBContact(call)))
        }
        if (200..<300).contains(status), method == .invite || method == .update {
            headers += sessionTimerAnswer(call, request: relay.request, from: relay.origin)
        }
        var out = relay.request.makeResponse(status: status, reason: response.reasonPhrase, extraHeaders: headers)
        if !response.body.isEmpty {
            let body = mediaRelayBody(call, from: answering, response, isOffer: relay.request.body.isEmpty) ?? []
            out.setBody(body, contentType: body.isEmpty ? nil : Self.contentType(response))
        }
        _ = layer.respond(relay.transaction, with: out)
        if (200..<300).contains(status), method == .invite, let cseq = try? relay.request.cseq().sequence,
            let otherCSeq = try? response.cseq().sequence
        {
            awaitAck(call, from: relay.origin, cseq: cseq, transaction: relay.transaction, response: out, otherCSeq: otherCSeq)
        }
        if (200..<300).contains(status), method == .invite || method == .update { sessionRefreshed(call) }
        if status == 481 || status == 408 {
            // RFC 3261 12.2.1.2: the other leg's dialog is gone; so is the call.
            tearDown(call, legs: [.a, .b], reason: [("Reason", "SIP;cause=\(status)")])
        }
    }

    /// Our Contact as sent to leg B (the one in its INVITE).
    func legBContact(_ call: B2BUACall) -> String {
        if let invite = call.bInvite, let field = invite.firstField(.contact) { return invite.value(of: field) }
        return call.aContact
    }

    /// An ACK for a 2xx (RFC 3261 13.2.2.4): when it is the one awaited, the
    /// other leg's 2xx is ACKed with that leg's dialog, the body carried across.
    /// False when the ACK is not a bridged call's.
    public func receiveAck(_ ack: SIPMessage) -> Bool {
        if dialogs.count == 0, let callID = try? ack.callID(), !isOurs(callID: callID) { return false }
        guard let id = DialogID(receivedRequest: ack), let entry = dialogs[id], let call = calls[entry.owner.call] else {
            guard let callID = try? ack.callID() else { return false }
            return isOurs(callID: callID)
        }
        guard let awaiting = call.awaitingAck, awaiting.from == entry.owner.leg, (try? ack.cseq().sequence) == awaiting.cseq else { return true }
        call.awaitingAck = nil
        cancelTimer(call, .retransmit2xx)
        cancelTimer(call, .ackTimeout)
        let other = entry.owner.leg.other
        let body = mediaRelayBody(call, from: entry.owner.leg, ack, isOffer: false) ?? []
        if let otherID = call.dialog(other), let dialog = dialogs[otherID]?.dialog,
            let forwarded = try? dialog.makeAck(cseq: awaiting.otherCSeq, body: body, contentType: body.isEmpty ? nil : Self.contentType(ack))
        {
            if other == .b, !body.isEmpty { call.bOffer = (body, Self.contentType(ack) ?? "application/sdp") }
            sendAck(forwarded, call: call, leg: other)
        }
        if call.phase == .answered {
            call.phase = .confirmed
            log(call, "confirmed")
        }
        return true
    }

    /// Ends the call: a BYE to each of `legs` that has a dialog (CANCEL for
    /// a leg B still ringing, a final response for a leg A not yet answered).
    func tearDown(_ call: B2BUACall, legs: Set<B2BUALeg>, reason: [(String, String)]) {
        guard call.phase != .ended else { return }
        statistics.teardowns += 1
        if let awaiting = call.awaitingAck {
            // The 2xx of the other leg is ACKed before it gets its BYE (RFC 3261 15).
            let other = awaiting.from.other
            if let id = call.dialog(other), let dialog = dialogs[id]?.dialog, let ack = try? dialog.makeAck(cseq: awaiting.otherCSeq) {
                sendAck(ack, call: call, leg: other)
            }
            call.awaitingAck = nil
        }
        for leg in [B2BUALeg.a, .b] where legs.contains(leg) {
            if leg == .a, !call.aFinalSent {
                respondToA(call, status: 487, reason: "Request Terminated")
                continue
            }
            if leg == .b, call.phase == .calling {
                if let pending = call.bTransaction { layer.cancel(pending, extraHeaders: reason) }
                continue
            }
            guard let id = call.dialog(leg), var entry = dialogs[id], entry.dialog.state == .confirmed,
                let bye = try? entry.dialog.makeRequest(.bye, headers: reason)
            else { continue }
            dialogs[id] = entry
            send(bye, call: call, leg: leg, purpose: .bye, contact: false)
        }
        end(call)
    }

    /// Forgets the call: dialogs, indexes, timers; relayed requests still
    /// waiting are answered 487.
    func end(_ call: B2BUACall) {
        guard call.phase != .ended else { return }
        call.phase = .ended
        recordEnd(call)
        releaseMedia(call)
        for (_, timer) in call.timers { _ = wheel.cancel(timer) }
        call.timers = [:]
        for id in call.relays {
            if case .relay(let relay)? = clientOwners[id]?.purpose {
                _ = layer.respond(relay.transaction, with: relay.request.makeResponse(status: 487, reason: "Request Terminated"))
            }
        }
        // Responses to what is still in flight are not needed any more; they are dropped.
        for id in call.clients { clientOwners[id] = nil }
        dialogs.remove(call.aDialog)
        forgetLegB(call)
        callsByCallID[call.aDialog.callID] = nil
        inviteServers[call.aTransaction] = nil
        calls[call.id] = nil
        log(call, "ended")
    }
}
