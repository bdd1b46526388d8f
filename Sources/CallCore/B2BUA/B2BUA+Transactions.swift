import SIPCore
import SIPTransaction
import SIPTransport

/// What the transaction layer reports about the B2BUA's own transactions.
extension B2BUA {
    /// A response to a request the B2BUA sent; false when the transaction is not the B2BUA's.
    public func receiveResponse(_ response: SIPMessage, transaction: ClientTransactionID) -> Bool {
        if interceptCarrierResponse(response, transaction: transaction) { return true }
        guard let owner = clientOwners[transaction] else { return false }
        let final = response.statusCode >= 200
        if final, response.method != .invite {
            clientOwners[transaction] = nil
            calls[owner.call]?.clients.remove(transaction)
        }
        guard let call = calls[owner.call] else { return true }
        switch owner.purpose {
        case .invite(let attempt):
            legBInviteResponse(call, response, transaction: transaction, attempt: attempt)
        case .relay(let relay):
            if (200..<300).contains(response.statusCode), relay.request.method == .invite, !call.relays.contains(transaction) {
                // A retransmitted 2xx of a re-INVITE already relayed: its ACK again.
                resendAck(call, leg: relay.origin.other, for: response)
            } else {
                relayResponse(call, relay, response, transaction: transaction)
            }
        case .refresh:
            refreshResponse(call, response)
        case .bye, .prack, .extraFork:
            break
        }
        return true
    }

    /// A client transaction of the B2BUA's ended without a response (timeout,
    /// transport error): handled as the 408 or 503 it stands for.
    public func clientTransactionFailed(_ transaction: ClientTransactionID, failure: ClientTransactionFailure) -> Bool {
        challengeable[transaction] = nil
        guard let owner = clientOwners.removeValue(forKey: transaction) else { return false }
        guard let call = calls[owner.call] else { return true }
        call.clients.remove(transaction)
        requestFailed(call, purpose: owner.purpose, transaction: transaction, status: failure.statusCode, reason: failure.reasonPhrase)
        return true
    }

    /// A request of the B2BUA's got no response (or could not be sent).
    func requestFailed(_ call: B2BUACall, purpose: Purpose, transaction: ClientTransactionID?, status: Int, reason: String) {
        switch purpose {
        case .invite(let attempt):
            guard attempt == call.candidate, transaction == nil || transaction == call.bTransaction else { return }
            log(call, "leg B failed", ["status": "\(status)"])
            for early in call.bEarly { dialogs.remove(early) }
            call.bEarly = []
            call.bDialog = nil
            legBFinal(call, status: status, reason: reason)
        case .relay(let relay):
            if let transaction { call.relays.remove(transaction) }
            _ = layer.respond(relay.transaction, with: relay.request.makeResponse(status: status, reason: reason))
            if relay.request.method == .invite { call.reinviteInProgress = false }
            // RFC 3261 12.2.1.2: no answer in the dialog ends it.
            tearDown(call, legs: [.a, .b], reason: [("Reason", "SIP;cause=\(status)")])
        case .refresh:
            refreshFailed(call, status: status)
        case .bye, .prack, .extraFork:
            break
        }
    }

    /// A response that matched no client transaction: a 2xx retransmission
    /// of an INVITE the B2BUA sent gets its ACK again. False when not the B2BUA's.
    public func receiveStrayResponse(_ response: SIPMessage) -> Bool {
        guard let id = DialogID(receivedResponse: response) else { return false }
        guard let entry = dialogs[id], let call = calls[entry.owner.call] else { return isOurs(callID: id.callID) }
        if (200..<300).contains(response.statusCode), response.method == .invite { resendAck(call, leg: entry.owner.leg, for: response) }
        return true
    }

    func resendAck(_ call: B2BUACall, leg: B2BUALeg, for response: SIPMessage) {
        guard let ack = call.acksSent[leg], ack.cseq == (try? response.cseq().sequence) else { return }
        layer.sendStateless(ack.message, to: ack.target)
    }

    /// A server transaction ended; the B2BUA forgets the A INVITE's. False when not the B2BUA's.
    public func serverTransactionTerminated(_ transaction: ServerTransactionID, end: ServerTransactionEnd) -> Bool {
        guard let id = inviteServers.removeValue(forKey: transaction) else { return false }
        if case .transport = end, let call = calls[id] {
            // The caller cannot be reached: the carrier leg goes too.
            tearDown(call, legs: [.b], reason: [("Reason", "SIP;cause=503")])
        }
        return true
    }
}
