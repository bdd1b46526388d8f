import SIPCore
import SIPTransaction
import SIPTransport

/// Setting up a bridged call: leg A answered as UAS, leg B placed towards
/// each candidate in turn (serial failover), CANCEL carried across.
extension B2BUA {
    /// Takes over an initial INVITE the route decision bridged: leg A's
    /// dialog is made with a tag of ours and the first candidate is called.
    public func bridge(_ invite: SIPMessage, request: B2BUARequest, transaction: ServerTransactionID, inbound: InboundMessage) {
        statistics.calls += 1
        // RFC 3261 8.2.2.3: an extension the caller requires is one Switchboard does not do on its leg.
        let required = (try? invite.require()) ?? OptionTags()
        if !required.isEmpty {
            _ = layer.respond(
                transaction,
                with: invite.makeResponse(
                    status: 420, reason: "Bad Extension", toTag: makeTag(), extraHeaders: [("Unsupported", required.joined(separator: ", "))]))
            return
        }
        guard !request.candidates.isEmpty else {
            _ = layer.respond(transaction, with: invite.makeResponse(status: 480, reason: "Temporarily Unavailable", toTag: makeTag()))
            return
        }
        let secure = (try? invite.requestURI().scheme) == .sips && inbound.transport == .tls
        let dialog: Dialog
        do {
            dialog = try Dialog(uasRequest: invite, localTag: makeTag(), secure: secure)
        } catch {
            _ = layer.respond(transaction, with: invite.makeResponse(status: error.status, reason: error.reason, toTag: makeTag()))
            return
        }
        if !layer.timers.sendTryingImmediately {
            _ = layer.respond(transaction, with: invite.makeResponse(status: 100, reason: "Trying"))
        }
        // The customer's channel limit (emergency calls are exempt): refused before anything is placed.
        if let observer = settings.observer, case .refuse(let retryAfter) = observer.admitCall(request.accounting) {
            _ = layer.respond(
                transaction,
                with: invite.makeResponse(
                    status: 503, reason: "Service Unavailable", toTag: dialog.id.localTag, extraHeaders: [("Retry-After", "\(retryAfter)")]))
            return
        }
        let local = settings.identity.listeners[inbound.transport] ?? inbound.local
        lastCallID += 1
        let call = B2BUACall(
            id: lastCallID, request: request, aInvite: invite, aTransaction: transaction, aDialog: dialog.id,
            aFlow: OutboundTarget(transport: inbound.transport, address: inbound.source, connection: inbound.connection),
            aContact: Self.contact(local, inbound.transport))
        calls[call.id] = call
        callsByCallID[dialog.callID] = call.id
        dialogs.insert(dialog, owner: DialogOwner(call: call.id, leg: .a))
        inviteServers[transaction] = call.id
        startNextCandidate(call)
    }

    /// A new leg B towards the next candidate: new Call-ID, From tag and
    /// CSeq; nothing of leg A's Via, Contact, Record-Route or Call-ID.
    func startNextCandidate(_ call: B2BUACall) {
        attemptFailed(call, status: call.ledger.attemptStatus.status, reason: call.ledger.attemptStatus.reason, failedOver: true)
        forgetLegB(call)
        call.candidate += 1
        guard let target = call.target else { return }
        call.bCallID = CallIDFormat.make(shard: shard, shardCount: settings.shardCount, using: &generator)
        call.bLocalTag = makeTag()
        call.bInviteCSeq = 1
        callsByCallID[call.bCallID] = call.id
        let invite: SIPMessage
        do {
            invite = try makeLegBInvite(call, target: target)
        } catch {
            return legBFinal(call, status: 500, reason: "Server Internal Error")
        }
        if !invite.body.isEmpty { call.bOffer = (Array(invite.body), Self.contentType(invite) ?? "application/sdp") }
        switch admission(call, target) {
        case .admit:
            sendLegB(call, invite, target: target)
        case .skip(let reason):
            log(call, "candidate skipped", ["reason": "\(reason)", "candidate": "\(call.candidate)"])
            skipCandidate(call, reason: reason)
        case .delay(let milliseconds):
            // The carrier's calls-per-second limit: the INVITE waits for its slot.
            call.paced = (invite, target, call.candidate)
            schedule(call, .pacing, in: milliseconds)
        }
    }

    /// A candidate the observer turned away: the next one, or 503 to A when none is left.
    func skipCandidate(_ call: B2BUACall, reason: String) {
        if call.candidate + 1 < call.request.candidates.count { return startNextCandidate(call) }
        respondToA(call, status: 503, reason: "Service Unavailable", headers: [("Retry-After", "5")])
        end(call)
    }

    /// The INVITE held back by pacing leaves now.
    func sendPaced(_ call: B2BUACall) {
        guard let paced = call.paced, paced.attempt == call.candidate, call.phase == .calling, !call.aFinalSent else { return }
        call.paced = nil
        if call.cancelled {
            respondToA(call, status: 487, reason: "Request Terminated")
            return end(call)
        }
        sendLegB(call, paced.invite, target: paced.target)
    }

    /// Resolves the next hop of leg B's INVITE, anchors the media and sends it.
    func sendLegB(_ call: B2BUACall, _ invite: SIPMessage, target: B2BUATarget) {
        attemptStarted(call, target)
        let nextHop = (try? ProxyRequest.nextHop(of: invite)) ?? target.target.uri
        let callID = call.id
        let attempt = call.candidate
        route(nextHop, flow: flow(call, .b, dialog: nil)) { [self] outbound in
            guard let call = calls[callID], call.candidate == attempt else { return }
            if call.cancelled {
                respondToA(call, status: 487, reason: "Request Terminated")
                return end(call)
            }
            guard let outbound else { return legBFinal(call, status: 503, reason: "Service Unavailable") }
            var invite = invite
            do throws(MediaAnchorError) {
                try applyMediaOffer(call, target: target, toward: outbound, invite: &invite)
            } catch {
                return mediaRejected(call, error)
            }
            attach(target.attachments, to: &invite)
            guard let (id, sent) = startClient(invite, to: outbound, call: call, purpose: .invite(attempt: attempt), contact: true)
            else {
                return legBFinal(call, status: 503, reason: "Service Unavailable")
            }
            call.bTransaction = id
            call.bInvite = sent
            log(call, "leg B INVITE sent", ["target": "\(outbound)"])
        }
    }

    /// The INVITE of leg B: a new request carrying only the body and the
    /// header fields chosen to pass.
    func makeLegBInvite(_ call: B2BUACall, target: B2BUATarget) throws(SIPParseError) -> SIPMessage {
        let a = call.aInvite
        let uri = target.target.uri
        let from = try a.from()
        let fromURI: String
        if let configured = target.fromURI ?? call.request.fromURI {
            fromURI = configured
        } else {
            let host = settings.identity.listeners[.udp] ?? settings.identity.listeners.values.first
            let user = from.uri.rawUser.map { "\($0)@" } ?? ""
            fromURI = "sip:\(user)\(host?.hostText ?? "invalid")"
        }
        let display = from.displayName.map { "\"\($0.replacingOccurrences(of: "\"", with: ""))\" " } ?? ""
        let maxForwards = max(((try? a.maxForwards()) ?? nil).map { $0 - 1 } ?? 70, 0)
        var text = "INVITE \(uri) SIP/2.0\r\n"
        for route in target.target.routeSet { text += "Route: \(route)\r\n" }
        text += "Max-Forwards: \(maxForwards)\r\n"
        // A configured From may be a whole name-addr (`"Name" <sip:…>`), taken as it is.
        let fromValue = fromURI.contains("<") ? fromURI : "\(display)<\(fromURI)>"
        text += "From: \(fromValue);tag=\(call.bLocalTag)\r\n"
        text += "To: <\(uri)>\r\n"
        text += "Call-ID: \(call.bCallID)\r\n"
        text += "CSeq: \(call.bInviteCSeq) INVITE\r\n"
        text += "Allow: \(Self.allow)\r\n"
        var supported = ((try? a.supported()) ?? OptionTags()).filter { Self.relayableOptionTags.contains($0) }
        if target.supports100rel { supported.append("100rel") }
        if let timer = call.request.sessionTimer {
            supported.append("timer")
            text += "Session-Expires: \(timer.interval);refresher=uac\r\n"
            text += "Min-SE: \(timer.minimum)\r\n"
        }
        if !supported.isEmpty { text += "Supported: \(supported.joined(separator: ", "))\r\n" }
        // A target's own identity (an emergency call's callback number) is the only one sent.
        let assertsIdentity = target.extraHeaders.contains { $0.name.lowercased() == "p-asserted-identity" }
        switch assertsIdentity ? .strip : target.identity ?? call.request.identity {
        case .pass:
            for (name, value) in Self.copied(a, ["P-Asserted-Identity", "Privacy"]) { text += "\(name): \(value)\r\n" }
        case .strip:
            break
        case .assert(let identity):
            text += "P-Asserted-Identity: \(identity)\r\n"
            for (name, value) in Self.copied(a, ["Privacy"]) { text += "\(name): \(value)\r\n" }
        }
        for (name, value) in Self.copied(a, ["Accept", "Content-Disposition"]) { text += "\(name): \(value)\r\n" }
        for field in target.extraHeaders { text += "\(field.name): \(field.value)\r\n" }
        let body = Array(a.body)
        if !body.isEmpty, let type = Self.contentType(a) { text += "Content-Type: \(type)\r\n" }
        text += "Content-Length: \(body.count)\r\n\r\n"
        return try SIPMessage(bytes: Array(text.utf8) + body)
    }

    /// Forgets the current attempt's leg B (before the next one).
    func forgetLegB(_ call: B2BUACall) {
        for id in call.bEarly { dialogs.remove(id) }
        if let id = call.bDialog { dialogs.remove(id) }
        call.bEarly = []
        call.bDialog = nil
        call.bTransaction = nil
        call.bInvite = nil
        call.lastRSeq = [:]
        if !call.bCallID.isEmpty { callsByCallID[call.bCallID] = nil }
    }

    /// A response to leg B's INVITE.
    func legBInviteResponse(_ call: B2BUACall, _ response: SIPMessage, transaction: ClientTransactionID, attempt: Int) {
        let status = response.statusCode
        guard attempt == call.candidate, transaction == call.bTransaction, let invite = call.bInvite else {
            // A 2xx of an attempt given up (cancelled, failed over): ACK and end it.
            if (200..<300).contains(status), let invite = clientInvite(transaction, call) { endExtraDialog(call, invite: invite, response: response) }
            return
        }
        guard status > 100 else { return }
        let id = DialogID(receivedResponse: response)
        if status < 200 {
            attemptProvisional(call)
            if let id, dialogs[id] == nil, let dialog = try? Dialog(uacRequest: invite, response: response) {
                dialogs.insert(dialog, owner: DialogOwner(call: call.id, leg: .b))
                call.bEarly.insert(id)
            }
            if let id { call.bDialog = id }
            if let id, !acknowledgeReliably(call, response, dialog: id) { return }
            guard !call.aFinalSent, !call.cancelled else { return }
            let body = mediaAnswer(call, response) ?? []
            respondToA(call, status: status, reason: response.reasonPhrase, body: body, contentType: body.isEmpty ? nil : Self.contentType(response))
            return
        }
        if status < 300 {
            return legBAnswered(call, response, invite: invite)
        }
        noteAttemptStatus(call, status, response.reasonPhrase)
        for early in call.bEarly { dialogs.remove(early) }
        call.bEarly = []
        call.bDialog = nil
        legBFinal(call, status: status, reason: response.reasonPhrase)
    }

    func clientInvite(_ transaction: ClientTransactionID, _ call: B2BUACall) -> SIPMessage? {
        transaction == call.bTransaction ? call.bInvite : nil
    }

    /// RFC 3262 4: a reliable provisional (Require: 100rel, RSeq) is PRACKed
    /// in its early dialog; one whose RSeq is not the next is neither
    /// PRACKed nor processed. Returns whether to go on with the response.
    func acknowledgeReliably(_ call: B2BUACall, _ response: SIPMessage, dialog id: DialogID) -> Bool {
        guard (try? response.require())?.contains("100rel") == true,
            let rseqText = response.values(named: "RSeq").first, let rseq = UInt32(rseqText.trimmingCharacters(in: .whitespaces))
        else { return true }
        if let last = call.lastRSeq[id.remoteTag], rseq != last &+ 1 { return false }
        call.lastRSeq[id.remoteTag] = rseq
        guard var entry = dialogs[id], let prack = try? entry.dialog.makeRequest(.prack, headers: [("RAck", "\(rseq) \(call.bInviteCSeq) INVITE")])
        else { return true }
        dialogs[id] = entry
        send(prack, call: call, leg: .b, purpose: .prack, contact: false)
        return true
    }

    /// Leg B answered: its dialog is confirmed and the 2xx goes to A with
    /// A's dialog identifiers; B is ACKed when A's ACK comes.
    func legBAnswered(_ call: B2BUACall, _ response: SIPMessage, invite: SIPMessage) {
        guard let id = DialogID(receivedResponse: response) else { return }
        if call.phase != .calling {
            if id == call.bDialog {
                // A retransmission of the 2xx: the ACK again, if it went.
                if let ack = call.acksSent[.b], ack.cseq == call.bInviteCSeq { layer.sendStateless(ack.message, to: ack.target) }
            } else {
                endExtraDialog(call, invite: invite, response: response)
            }
            return
        }
        if call.cancelled || call.aFinalSent {
            // CANCEL and 2xx crossed: A gets its 487, B an ACK and a BYE.
            endExtraDialog(call, invite: invite, response: response)
            if !call.aFinalSent { respondToA(call, status: 487, reason: "Request Terminated") }
            return end(call)
        }
        guard let answer = mediaAnswer(call, response) else {
            // RFC 3264 6: an answer the relay cannot use ends leg B; A gets 488.
            endExtraDialog(call, invite: invite, response: response)
            respondToA(call, status: 488, reason: "Not Acceptable Here")
            return end(call)
        }
        if var entry = dialogs[id] {
            entry.dialog.confirm(with: response)
            dialogs[id] = entry
        } else if let dialog = try? Dialog(uacRequest: invite, response: response) {
            dialogs.insert(dialog, owner: DialogOwner(call: call.id, leg: .b))
        } else {
            return
        }
        for early in call.bEarly where early != id { dialogs.remove(early) }
        call.bEarly = []
        call.bDialog = id
        if var a = dialogs[call.aDialog] {
            a.dialog.confirm()
            dialogs[call.aDialog] = a
        }
        let sent = respondToA(call, status: response.statusCode, reason: response.reasonPhrase, body: answer, contentType: Self.contentType(response))
        call.phase = .answered
        statistics.answered += 1
        attemptAnswered(call)
        let aCSeq = (try? call.aInvite.cseq().sequence) ?? 0
        awaitAck(call, from: .a, cseq: aCSeq, transaction: call.aTransaction, response: sent, otherCSeq: call.bInviteCSeq)
        negotiateSessionTimer(call, response)
        log(call, "answered", ["status": "\(response.statusCode)"])
    }

    /// A 2xx from a dialog the call does not keep (a second fork, or after
    /// CANCEL): ACKed and ended with a BYE (RFC 3261 13.2.2.4).
    func endExtraDialog(_ call: B2BUACall, invite: SIPMessage, response: SIPMessage) {
        guard var dialog = try? Dialog(uacRequest: invite, response: response), let cseq = try? invite.cseq().sequence,
            let ack = try? dialog.makeAck(cseq: cseq), let bye = try? dialog.makeRequest(.bye)
        else { return }
        let flow = flow(call, .b, dialog: dialog)
        route(ack.nextHop, flow: flow) { [self] outbound in
            guard let outbound, let local = localAddress(toward: outbound) else { return }
            var message = ack.message
            message.prependHeader("Via", value: "SIP/2.0/\(outbound.transport.viaToken) \(local.description);branch=\(nextBranch(message));rport")
            layer.sendStateless(message, to: outbound)
            var byeMessage = bye.message
            byeMessage.prependHeader("Via", value: "SIP/2.0/\(outbound.transport.viaToken) \(local.description);branch=\(nextBranch(byeMessage));rport")
            _ = try? layer.sendRequest(byeMessage, to: outbound)
        }
    }

    /// Leg B ended without a 2xx (a final status, a timeout, a transport
    /// error): the next candidate when the policy fails over on it, else the
    /// status goes to A (a 503 of the carrier's becomes 500, as a proxy does, RFC 3261 16.7).
    func legBFinal(_ call: B2BUACall, status: Int, reason: String) {
        noteAttemptStatus(call, status, reason)
        guard !call.aFinalSent else { return end(call) }
        if call.cancelled {
            respondToA(call, status: 487, reason: "Request Terminated")
            return end(call)
        }
        if call.failover.failsOver(status), call.candidate + 1 < call.request.candidates.count {
            statistics.failovers += 1
            log(call, "failover", ["status": "\(status)", "candidate": "\(call.candidate + 1)"])
            return startNextCandidate(call)
        }
        if status == 503 {
            respondToA(call, status: 500, reason: "Server Internal Error")
        } else {
            respondToA(call, status: status, reason: reason)
        }
        end(call)
    }

    /// CANCEL of leg A's INVITE (RFC 3261 9.2): answered 200, leg B cancelled;
    /// A gets 487 once B's INVITE ends. False when the INVITE is not a bridged call's.
    public func receiveCancel(_ cancel: SIPMessage, transaction: ServerTransactionID, cancelling invite: ServerTransactionID?) -> Bool {
        guard let invite, let id = inviteServers[invite], let call = calls[id] else { return false }
        _ = layer.respond(transaction, with: cancel.makeResponse(status: 200, reason: "OK"))
        guard !call.aFinalSent, !call.cancelled else { return true }
        call.cancelled = true
        let reason = Self.copied(cancel, ["Reason"])
        if let pending = call.bTransaction, layer.cancel(pending, extraHeaders: reason) != nil { return true }
        // Nothing to cancel on B (still resolving, or between attempts): A is answered now.
        respondToA(call, status: 487, reason: "Request Terminated")
        end(call)
        return true
    }
}
