import Routing
import Logging
import SIPCore
import SIPTransaction
import SIPTransport

/// Digest authentication towards carriers (RFC 3261 22.2, RFC 7616 client
/// side): a request on leg B that gets a 401 or 407 is sent once more with
/// credentials for the challenge, with a new CSeq and branch; a second
/// challenge (unless stale) means the carrier refused. The caller never
/// sees a carrier's challenge.
extension B2BUA {
    /// A request sent on a carrier leg, as sent, until its final response.
    struct ChallengeableRequest {
        let call: B2BUACall
        var message: SIPMessage
        var outbound: OutboundTarget
        var purpose: Purpose
        /// The statuses (401, 407) already answered for this request.
        var answered: Set<Int> = []
        var staleRetried = false
    }

    /// Whether `message` goes on `call`'s carrier leg (its Call-ID is leg B's).
    func isLegB(_ message: SIPMessage, call: B2BUACall) -> Bool {
        !call.bCallID.isEmpty && (try? message.callID()) == call.bCallID
    }

    /// Before an in-dialog request leaves on leg B: the credentials of the
    /// nonces already answered on this candidate, the nc counted up
    /// (RFC 3261 22.3: credentials are cached and reused for the realm).
    func addCachedCredentials(_ request: inout SIPMessage, call: B2BUACall) {
        let method = request.method
        guard isLegB(request, call: call), method != .invite || (try? request.to().tag) != nil,
            request.firstField(.authorization) == nil, request.firstField(.proxyAuthorization) == nil,
            let credentials = call.target?.credentials
        else { return }
        for (key, var cached) in call.carrier.nonces.sorted(by: { $0.key.header + $0.key.realm < $1.key.header + $1.key.realm })
        where cached.candidate == call.candidate && cached.authorization.qop {
            cached.count &+= 1
            call.carrier.nonces[key] = cached
            let value = cached.authorization.headerValue(
                username: credentials.username, password: credentials.password, method: "\(method)", uri: request.requestURIText,
                nc: cached.count, cnonce: makeCnonce())
            request.appendHeader(key.header, value: value)
        }
    }

    /// Remembers a request that just left on leg B so a challenge can be answered.
    func rememberChallengeable(_ id: ClientTransactionID, _ request: SIPMessage, to outbound: OutboundTarget, call: B2BUACall, purpose: Purpose) {
        guard isLegB(request, call: call), request.method != .cancel else { return }
        challengeable[id] = ChallengeableRequest(call: call, message: request, outbound: outbound, purpose: purpose)
        if request.method == .invite, let cseq = try? request.cseq().sequence {
            call.carrier.inviteCredentials[cseq] = Self.copied(request, ["Authorization", "Proxy-Authorization"])
        }
        if case .invite = purpose { armRingTimers(call) }
    }

    /// The ACK for a 2xx on leg B repeats its INVITE's credentials (RFC 3261 13.2.2.4).
    func addAckCredentials(_ ack: inout SIPMessage, call: B2BUACall) {
        guard isLegB(ack, call: call), let cseq = try? ack.cseq().sequence, let headers = call.carrier.inviteCredentials[cseq] else { return }
        for (name, value) in headers { ack.appendHeader(name, value: value) }
    }

    /// A response to a request of the B2BUA's, seen before the rest of the
    /// B2BUA does: carrier challenges, 3xx, ring state and late 2xx of
    /// abandoned attempts. True when it was handled here.
    func interceptCarrierResponse(_ response: SIPMessage, transaction: ClientTransactionID) -> Bool {
        let status = response.statusCode
        if let owner = clientOwners[transaction], let call = calls[owner.call], case .invite = owner.purpose {
            if let invite = call.carrier.abandoned[transaction] {
                if status >= 200 { call.carrier.abandoned[transaction] = nil }
                if (200..<300).contains(status) { endExtraDialog(call, invite: invite, response: response) }
                return true
            }
            if transaction == call.bTransaction, call.phase == .calling {
                observeRinging(call, status: status)
                if (300..<400).contains(status), redirect(call, response) { return true }
            }
        }
        guard var record = challengeable[transaction] else { return false }
        if status >= 200 { challengeable[transaction] = nil }
        guard status == 401 || status == 407 else { return false }
        let call = record.call
        // A CANCEL crossed the challenge: the INVITE ends as cancelled.
        if case .invite = record.purpose, call.cancelled || call.aFinalSent { return false }
        consumeFinal(transaction, call: call, record: record)
        if case .invite(let attempt) = record.purpose, attempt != call.candidate || transaction != call.bTransaction {
            return true
        }
        let challenges = ((status == 401 ? try? response.wwwAuthenticate() : try? response.proxyAuthenticate()) ?? []).filter(\.isDigest)
        let stale = challenges.contains { $0.stale }
        let repeated = record.answered.contains(status)
        guard !repeated || (stale && !record.staleRetried) else {
            return authenticationFailed(call, record, transaction: transaction, status: status, refused: true)
        }
        guard let credentials = call.target?.credentials else {
            return authenticationFailed(call, record, transaction: transaction, status: status, refused: false)
        }
        let answers = DigestAuthorization.choose(challenges, credentials: credentials)
        guard !answers.isEmpty else {
            return authenticationFailed(call, record, transaction: transaction, status: status, refused: false)
        }
        if repeated { record.staleRetried = true }
        record.answered.insert(status)
        resend(record, answering: answers, header: status == 401 ? "Authorization" : "Proxy-Authorization", credentials: credentials)
        return true
    }

    /// A final response handled here instead of by `receiveResponse`: the bookkeeping it would have done.
    private func consumeFinal(_ transaction: ClientTransactionID, call: B2BUACall, record: ChallengeableRequest) {
        if record.message.method != .invite {
            clientOwners[transaction] = nil
            call.clients.remove(transaction)
        }
        call.relays.remove(transaction)
        if case .invite = record.purpose, transaction == call.bTransaction { cancelRingTimers(call) }
    }

    /// Sends the challenged request again with credentials for `answers`:
    /// new CSeq (the dialog's next, or the INVITE's next), new branch, same
    /// Call-ID, From tag and body.
    private func resend(_ record: ChallengeableRequest, answering answers: [DigestAuthorization], header: String, credentials: CarrierCredentials) {
        let call = record.call
        var message = record.message
        let method = message.method
        guard let old = try? message.cseq().sequence else { return }
        let cseq: UInt32
        if case .invite = record.purpose {
            cseq = max(call.bInviteCSeq, old) + 1
        } else if let id = call.bDialog, var entry = dialogs[id], id.callID == call.bCallID {
            entry.dialog.localCSeq += 1
            cseq = entry.dialog.localCSeq
            dialogs[id] = entry
        } else {
            cseq = old + 1
        }
        message.removeHeaders("Via")
        message.removeHeaders(header)
        message.setHeader("CSeq", value: "\(cseq) \(method)")
        for answer in answers {
            let key = B2BUACall.NonceKey(header: header, realm: answer.realm)
            call.carrier.nonces[key] = B2BUACall.CachedNonce(authorization: answer, candidate: call.candidate, count: 1)
            let value = answer.headerValue(
                username: credentials.username, password: credentials.password, method: "\(method)", uri: message.requestURIText, nc: 1,
                cnonce: makeCnonce())
            message.appendHeader(header, value: value)
        }
        statistics.authenticationRetries += 1
        log(call, "carrier challenge answered", ["method": "\(method)", "realm": "\(answers.map(\.realm).joined(separator: ","))"])
        guard let (id, sent) = startClient(message, to: record.outbound, call: call, purpose: record.purpose, contact: false) else {
            return requestFailed(call, purpose: record.purpose, transaction: nil, status: 503, reason: "Service Unavailable")
        }
        challengeable[id]?.answered = record.answered
        challengeable[id]?.staleRetried = record.staleRetried
        if case .invite = record.purpose {
            call.bTransaction = id
            call.bInvite = sent
            call.bInviteCSeq = cseq
        }
    }

    /// A challenge Switchboard does not answer: for the INVITE the carrier
    /// refused (failover or 403/500 to A, `FailoverPolicy.authenticationFailures`);
    /// for a request in the dialog, the request failed.
    private func authenticationFailed(_ call: B2BUACall, _ record: ChallengeableRequest, transaction: ClientTransactionID, status: Int, refused: Bool)
        -> Bool
    {
        statistics.authenticationFailures += 1
        let cause = refused ? "credentials refused" : "no credentials for challenge"
        log(call, "carrier authentication failed", ["status": "\(status)", "cause": "\(cause)", "method": "\(record.message.method)"])
        if case .invite = record.purpose { noteAttemptStatus(call, status, cause) }
        switch record.purpose {
        case .invite:
            for early in call.bEarly { dialogs.remove(early) }
            call.bEarly = []
            call.bDialog = nil
            guard !call.aFinalSent else {
                end(call)
                return true
            }
            if call.cancelled {
                respondToA(call, status: 487, reason: "Request Terminated")
            } else if call.failover.authenticationFailures, call.candidate + 1 < call.request.candidates.count {
                statistics.failovers += 1
                log(call, "failover", ["status": "\(status)", "candidate": "\(call.candidate + 1)"])
                startNextCandidate(call)
                return true
            } else if refused {
                respondToA(call, status: 403, reason: "Forbidden")
            } else {
                respondToA(call, status: 500, reason: "Server Internal Error")
            }
            end(call)
        case .relay(let relay):
            // The caller cannot answer the carrier's challenge; it is not shown one.
            if relay.request.method == .invite { call.reinviteInProgress = false }
            _ = layer.respond(relay.transaction, with: relay.request.makeResponse(status: 500, reason: "Server Internal Error"))
        case .refresh:
            if record.message.method == .invite { call.reinviteInProgress = false }
            refreshFailed(call, status: status)
        case .bye, .prack, .extraFork:
            break
        }
        return true
    }

    func makeCnonce() -> String {
        CallIDFormat.hex(generator.next()) + CallIDFormat.hex(generator.next())
    }
}
