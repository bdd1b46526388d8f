import SIPCore
import SIPTransport

/// Client transactions: requests out, responses in (RFC 3261 17.1).
extension TransactionLayer {
    /// Starts a client transaction for `request` and sends it to `target`.
    ///
    /// The caller has already put its Via on top, with a branch from
    /// `TransactionBranch.make(shard:)`. ACK is not a transaction request: an
    /// ACK for a 2xx goes out through `sendStateless`.
    public func sendRequest(_ request: SIPMessage, to target: OutboundTarget) throws(TransactionError) -> ClientTransactionID {
        enter()
        guard request.isRequest, request.method != .ack else {
            throw .notATransactionRequest(request.isRequest ? "ACK" : "response")
        }
        let key: TransactionKey
        do {
            key = try TransactionKey.client(for: request)
        } catch {
            throw .malformedRequest(error)
        }
        guard clientIndex[key] == nil else { throw .duplicateBranch(key.description) }
        let raw = nextID()
        startClient(raw, request: request, key: key, target: target)
        return ClientTransactionID(shard: shard, raw: raw)
    }

    /// Cancels a pending INVITE (RFC 3261 9.1): builds its CANCEL and sends
    /// it on a client transaction of its own, to the INVITE's target. Before
    /// any provisional response the CANCEL waits for one; if the INVITE ends
    /// first, the CANCEL is dropped unsent. Returns the CANCEL's transaction
    /// (the same one when asked again), or nil when the INVITE already has a
    /// final response or is gone.
    @discardableResult
    public func cancel(_ invite: ClientTransactionID, extraHeaders: [(String, String)] = []) -> ClientTransactionID? {
        enter()
        let raw = invite.raw
        guard invite.shard == shard, let entry = clients[raw], let machine = entry.invite else { return nil }
        if let existing = entry.cancel { return ClientTransactionID(shard: shard, raw: existing) }
        guard machine.state == .calling || machine.state == .proceeding,
            let cancel = try? entry.request?.makeCancel(extraHeaders: extraHeaders),
            let key = try? TransactionKey.client(for: cancel), clientIndex[key] == nil
        else { return nil }
        let cancelRaw = nextID()
        clients[raw]?.cancel = cancelRaw
        if machine.state == .calling {
            clients[raw]?.pendingCancel = cancel
            pendingCancels[cancelRaw] = raw
        } else {
            startClient(cancelRaw, request: cancel, key: key, target: entry.target)
        }
        return ClientTransactionID(shard: shard, raw: cancelRaw)
    }

    /// The state of a client transaction, nil once it has terminated (or its CANCEL was dropped).
    public func state(of transaction: ClientTransactionID) -> ClientTransactionState? {
        guard transaction.shard == shard else { return nil }
        if pendingCancels[transaction.raw] != nil { return .cancelWaitingForProvisional }
        return clients[transaction.raw]?.state
    }

    func startClient(_ raw: UInt64, request: SIPMessage, key: TransactionKey, target: OutboundTarget) {
        let reliable = target.transport.isReliable
        let bytes = request.serialized()
        let entry = ClientEntry(request: request, key: key, target: target)
        var effects: [TransactionEffect] = []
        if request.method == .invite {
            var machine = ClientInviteTransaction(timers: timers, reliable: reliable, request: bytes)
            machine.start(&effects)
            entry.invite = machine
            statistics.activeClientInvite += 1
        } else {
            var machine = ClientNonInviteTransaction(timers: timers, reliable: reliable, request: bytes)
            machine.start(&effects)
            entry.nonInvite = machine
            statistics.activeClientNonInvite += 1
        }
        statistics.clientTransactionsCreated += 1
        clients[raw] = entry
        clientIndex[key] = raw
        runClient(raw, effects)
    }

    func receiveResponse(_ inbound: InboundMessage) {
        let response = inbound.message
        guard let key = try? TransactionKey.client(for: response), let raw = clientIndex[key] else {
            statistics.strayResponses += 1
            user?.didReceiveStrayResponse(response, inbound: inbound)
            return
        }
        var effects: [TransactionEffect] = []
        clients[raw]?.responseReceived(response, &effects)
        if !effects.contains(.deliverToUser) { statistics.retransmissionsAbsorbed += 1 }
        let id = ClientTransactionID(shard: shard, raw: raw)
        runClient(raw, effects) { self.user?.didReceiveResponse(response, transaction: id, inbound: inbound) }
        if response.statusCode < 200 {
            startPendingCancel(of: raw)
        } else {
            dropPendingCancel(of: raw)
        }
    }

    /// The INVITE got its first provisional response: the waiting CANCEL may go (RFC 3261 9.1).
    private func startPendingCancel(of invite: UInt64) {
        guard let entry = clients[invite], let cancel = entry.pendingCancel, let cancelRaw = entry.cancel,
            let key = try? TransactionKey.client(for: cancel)
        else { return }
        clients[invite]?.pendingCancel = nil
        pendingCancels[cancelRaw] = nil
        startClient(cancelRaw, request: cancel, key: key, target: entry.target)
    }

    private func dropPendingCancel(of invite: UInt64) {
        guard let cancelRaw = clients[invite]?.cancel, clients[invite]?.pendingCancel != nil else { return }
        clients[invite]?.pendingCancel = nil
        clients[invite]?.cancel = nil
        pendingCancels[cancelRaw] = nil
    }

    /// Carries out a client transaction's effects in order.
    func runClient(_ raw: UInt64, _ effects: [TransactionEffect], failure: TransportFailure? = nil, deliver: () -> Void = {}) {
        for effect in effects {
            switch effect {
            case .send(let bytes, let retransmission):
                guard let target = clients[raw]?.target else { continue }
                if retransmission { statistics.retransmissionsSent += 1 }
                sender.send(bytes, to: target)
            case .startTimer(let timer, let milliseconds):
                guard clients[raw] != nil else { continue }
                let id = wheel.schedule(at: now + milliseconds, TimerPayload(isServer: false, raw: raw, timer: timer))
                if let old = clients[raw]?.timers.updateValue(id, forKey: timer) { wheel.cancel(old) }
            case .stopTimer(let timer):
                if let old = clients[raw]?.timers.removeValue(forKey: timer) { wheel.cancel(old) }
            case .deliverToUser:
                deliver()
            case .terminate(let outcome):
                removeClient(raw, outcome, failure: failure)
            }
        }
    }

    private func removeClient(_ raw: UInt64, _ outcome: TransactionOutcome, failure: TransportFailure?) {
        dropPendingCancel(of: raw)
        guard let entry = clients.removeValue(forKey: raw) else { return }
        for id in entry.timers.values { wheel.cancel(id) }
        if clientIndex[entry.key] == raw { clientIndex[entry.key] = nil }
        if entry.invite != nil {
            statistics.activeClientInvite -= 1
        } else {
            statistics.activeClientNonInvite -= 1
        }
        let id = ClientTransactionID(shard: shard, raw: raw)
        switch outcome {
        case .normal:
            break
        case .timeout:
            statistics.timeouts += 1
            user?.clientTransactionFailed(id, failure: .timeout)
        case .transportFailure:
            user?.clientTransactionFailed(
                id, failure: .transport(failure ?? TransportFailure(target: entry.target, reason: "transport failure")))
        }
    }
}
