import SIPCore
import SIPTransport

/// Server transactions: requests in, responses out (RFC 3261 17.2).
extension TransactionLayer {
    /// Sends the TU's response on a server transaction. Returns false when
    /// the transaction is gone or its state takes no such response (e.g. a
    /// second final response).
    @discardableResult
    public func respond(_ transaction: ServerTransactionID, with response: SIPMessage) -> Bool {
        guard !response.isRequest, transaction.shard == shard, let entry = servers[transaction.raw] else { return false }
        return respond(transaction, with: SerializedResponse(response, invite: entry.isInvite))
    }

    /// Sends a response serialized beforehand, on whichever thread made it
    /// (a registrar's 200 is built and serialized by the store's writer, not
    /// on the shard).
    @discardableResult
    public func respond(_ transaction: ServerTransactionID, with response: SerializedResponse) -> Bool {
        enter()
        let raw = transaction.raw
        guard transaction.shard == shard, servers[raw] != nil else { return false }
        let status = response.status
        var effects: [TransactionEffect] = []
        guard servers[raw]!.respond(status: status, bytes: response.bytes, &effects) else { return false }
        // Only an INVITE's ACK is matched by the To tag of its response (17.2.3).
        if status >= 200, servers[raw]!.isInvite { servers[raw]!.responseToTag = response.toTag }
        runServer(raw, effects)
        return true
    }

    /// Answers a non-INVITE request the way a stateless UAS does (RFC 3261
    /// 8.2.7): the final response is sent once and the transaction ends at
    /// once. For challenges to unauthenticated requests, so that a flood of
    /// them leaves no transaction state behind (8.2.7, 26.1.5); a
    /// retransmission of the request is then answered anew. An INVITE, or a
    /// transaction that has already answered, takes `respond(_:with:)`.
    @discardableResult
    public func respondStatelessly(_ transaction: ServerTransactionID, with response: SIPMessage) -> Bool {
        guard !response.isRequest, transaction.shard == shard, let entry = servers[transaction.raw] else { return false }
        return respondStatelessly(transaction, with: SerializedResponse(response, invite: entry.isInvite))
    }

    /// `respondStatelessly(_:with:)` for a response serialized beforehand.
    @discardableResult
    public func respondStatelessly(_ transaction: ServerTransactionID, with response: SerializedResponse) -> Bool {
        enter()
        let raw = transaction.raw
        guard transaction.shard == shard, response.status >= 200, let entry = servers[raw],
            entry.state == .nonInvite(.trying) || entry.state == .nonInvite(.proceeding)
        else { return respond(transaction, with: response) }
        statistics.statelessResponses += 1
        sender.send(response.bytes, to: entry.target)
        removeServer(raw, .normal, failure: nil)
        return true
    }

    /// The state of a server transaction, nil once it has terminated.
    public func state(of transaction: ServerTransactionID) -> ServerTransactionState? {
        transaction.shard == shard ? servers[transaction.raw]?.state : nil
    }

    /// Where a server transaction sends its responses (RFC 3261 18.2.2).
    public func responseTarget(of transaction: ServerTransactionID) -> OutboundTarget? {
        transaction.shard == shard ? servers[transaction.raw]?.target : nil
    }

    func receiveRequest(_ inbound: InboundMessage) {
        let request = inbound.message
        if request.method == .ack {
            receiveAck(inbound)
            return
        }
        guard let key = try? TransactionKey.server(for: request) else {
            statistics.unidentifiableMessages += 1
            return
        }
        if let raw = serverIndex[key] {
            statistics.retransmissionsAbsorbed += 1
            var effects: [TransactionEffect] = []
            servers[raw]?.requestRetransmitted(&effects)
            runServer(raw, effects)
            return
        }
        let raw = nextID()
        let id = ServerTransactionID(shard: shard, raw: raw)
        let reliable = inbound.transport.isReliable
        let target = ResponseRoute.target(for: inbound)
        let entry: ServerEntry
        var effects: [TransactionEffect] = []
        if request.method == .invite {
            var machine = ServerInviteTransaction(
                timers: timers, reliable: reliable, trying: request.makeResponse(status: 100, reason: "Trying").serialized())
            machine.start(&effects)
            entry = ServerEntry(key: key, target: target, invite: machine)
            statistics.activeServerInvite += 1
        } else {
            entry = ServerEntry(key: key, target: target, nonInvite: ServerNonInviteTransaction(timers: timers, reliable: reliable))
            statistics.activeServerNonInvite += 1
        }
        statistics.serverTransactionsCreated += 1
        servers[raw] = entry
        serverIndex[key] = raw
        runServer(raw, effects)
        if request.method == .cancel {
            var invite: ServerTransactionID? = nil
            if let key = try? TransactionKey.invite(cancelledBy: request), let inviteRaw = serverIndex[key], servers[inviteRaw]?.isInvite == true {
                invite = ServerTransactionID(shard: shard, raw: inviteRaw)
            }
            user?.didReceiveCancel(request, transaction: id, cancelling: invite, inbound: inbound)
        } else {
            user?.didReceiveRequest(request, transaction: id, inbound: inbound)
        }
    }

    /// An ACK: absorbed by an INVITE server transaction in Completed or
    /// Confirmed, passed up with the transaction in Accepted, passed up alone
    /// when it matches none.
    func receiveAck(_ inbound: InboundMessage) {
        let ack = inbound.message
        var raw: UInt64? = nil
        if let key = try? TransactionKey.server(for: ack) {
            raw = serverIndex[key]
            if raw == nil, key.isRFC2543, let via = try? ack.topVia(), let ackToTag = try? ack.to().tag,
                let initial = try? TransactionKey.rfc2543(ack, via: via, method: .invite, toTag: nil),
                let candidate = serverIndex[initial], servers[candidate]?.responseToTag == ackToTag
            {
                // 17.2.3: the ACK's To tag is the one the server put in its response.
                raw = candidate
            }
        }
        guard let raw, servers[raw]?.isInvite == true else {
            user?.didReceiveAck(ack, acceptedInvite: nil, inbound: inbound)
            return
        }
        var effects: [TransactionEffect] = []
        servers[raw]?.invite?.ackReceived(&effects)
        if !effects.contains(.deliverToUser) { statistics.retransmissionsAbsorbed += 1 }
        let id = ServerTransactionID(shard: shard, raw: raw)
        runServer(raw, effects) { self.user?.didReceiveAck(ack, acceptedInvite: id, inbound: inbound) }
    }

    /// Carries out a server transaction's effects in order.
    func runServer(_ raw: UInt64, _ effects: [TransactionEffect], failure: TransportFailure? = nil, deliver: () -> Void = {}) {
        for effect in effects {
            switch effect {
            case .send(let bytes, let retransmission):
                guard let target = servers[raw]?.target else { continue }
                if retransmission { statistics.retransmissionsSent += 1 }
                sender.send(bytes, to: target)
            case .startTimer(let timer, let milliseconds):
                guard servers[raw] != nil else { continue }
                let id = wheel.schedule(at: now + milliseconds, TimerPayload(isServer: true, raw: raw, timer: timer))
                if let old = servers[raw]?.timers.updateValue(id, forKey: timer) { wheel.cancel(old) }
            case .stopTimer(let timer):
                if let old = servers[raw]?.timers.removeValue(forKey: timer) { wheel.cancel(old) }
            case .deliverToUser:
                deliver()
            case .terminate(let outcome):
                removeServer(raw, outcome, failure: failure)
            }
        }
    }

    private func removeServer(_ raw: UInt64, _ outcome: TransactionOutcome, failure: TransportFailure?) {
        guard let entry = servers.removeValue(forKey: raw) else { return }
        for id in entry.timers.values { wheel.cancel(id) }
        if serverIndex[entry.key] == raw { serverIndex[entry.key] = nil }
        if entry.isInvite {
            statistics.activeServerInvite -= 1
        } else {
            statistics.activeServerNonInvite -= 1
        }
        let end: ServerTransactionEnd
        switch outcome {
        case .normal:
            end = .completed
        case .timeout:
            statistics.timeouts += 1
            end = .ackTimeout
        case .transportFailure:
            end = .transport(failure ?? TransportFailure(target: entry.target, reason: "transport failure"))
        }
        user?.serverTransactionTerminated(ServerTransactionID(shard: shard, raw: raw), end: end)
    }
}
