import Foundation
import Logging
import SIPCore
import SIPTransaction
import SIPTransport

/// The stateful proxy of RFC 3261 section 16 for one shard: it validates
/// each request, asks the route decision where it goes, forks it to the
/// targets (parallel within a group, groups in series), forwards
/// provisional and 2xx responses at once, cancels what is left when a call
/// is answered or cancelled, and sends back the best final response.
///
/// Confined to its shard's serial queue, like the `TransactionLayer` it is
/// the user of; `@unchecked Sendable` only so it can be handed to the queue.
public final class ProxyCore: TransactionUser, @unchecked Sendable {
    /// What a reload can change; read when a request arrives, kept for its transaction.
    public struct Settings: Sendable {
        public var identity: ProxyIdentity
        public var routes: any RouteDecision
        public var recordRoute: Bool
        public var preloadedRoutes: [String]
        public var limits: SIPParserLimits
        /// RFC 3261 16.6 step 11 Timer C: how long an INVITE branch may ring
        /// (reset by each provisional response) before it is cancelled; more than 3 minutes.
        public var timerC: Int64
        /// Asked in order before routing: the registrar, authentication.
        public var interceptors: [any RequestInterceptor] = []

        public init(
            identity: ProxyIdentity, routes: any RouteDecision, recordRoute: Bool = true, preloadedRoutes: [String] = [],
            limits: SIPParserLimits = SIPParserLimits(), timerC: Int64 = 181_000
        ) {
            self.identity = identity
            self.routes = routes
            self.recordRoute = recordRoute
            self.preloadedRoutes = preloadedRoutes
            self.limits = limits
            self.timerC = timerC
        }
    }

    public let shard: Int
    public var settings: Settings
    let resolver: any TargetResolving
    let sender: any MessageSender
    let logger: Logger
    /// Set once, right after init (the layer holds this core weakly as its user).
    public var layer: TransactionLayer! {
        didSet { b2bua?.layer = layer }
    }
    /// The shard's B2BUA: bridged INVITEs go to it, and it is asked first
    /// about every in-dialog request, ACK, CANCEL and response.
    public var b2bua: B2BUA? {
        didSet { b2bua?.layer = layer }
    }
    /// Runs work on this core's queue; an interceptor's late answer comes back through it.
    public var schedule: @Sendable (@escaping @Sendable () -> Void) -> Void = { $0() }

    private var contexts: [ServerTransactionID: ResponseContext] = [:]
    private let clock: any TransactionClock
    /// Timer C per pending INVITE branch (RFC 3261 16.6 step 11).
    private var timerC: TimerWheel<ClientTransactionID>
    private var timerCIDs: [ClientTransactionID: TimerWheel<ClientTransactionID>.TimerID] = [:]
    private var branchOwner: [ClientTransactionID: ServerTransactionID] = [:]
    private var uniqueCounter: UInt64 = 0
    public private(set) var statistics = ProxyStatistics()

    public init(
        shard: Int, settings: Settings, sender: any MessageSender, resolver: any TargetResolving = NumericTargetResolver(),
        clock: any TransactionClock = MonotonicClock(), logger: Logger
    ) {
        self.clock = clock
        timerC = TimerWheel(now: clock.now)
        self.shard = shard
        self.settings = settings
        self.sender = sender
        self.resolver = resolver
        self.logger = logger
        uniqueCounter = UInt64.random(in: 0..<(1 << 40))
    }

    /// Requests waiting for a final response (for `ctl status`).
    public var pendingRequests: Int { contexts.values.count { !$0.finalSent } }

    /// Calls this proxy saw answered (a 2xx to an initial INVITE it
    /// record-routed) and not yet ended by a BYE through it, by Call-ID with
    /// the time they began: what a drain waits for. Entries older than
    /// `dialogLifetime` are forgotten (a BYE that took another path).
    private var dialogs: [String: Int64] = [:]
    private var dialogsCheckedAt: Int64 = 0
    static let dialogLifetime: Int64 = 12 * 3_600_000

    /// Answered calls through this proxy not yet ended (for `ctl status` and the drain).
    public var activeDialogs: Int { dialogs.count }

    // MARK: requests

    public func didReceiveRequest(_ request: SIPMessage, transaction: ServerTransactionID, inbound: InboundMessage) {
        statistics.requests += 1
        if let b2bua, b2bua.receiveInDialog(request, transaction: transaction) { return }
        var forwarded = request
        do {
            try ProxyRequest.validate(request, identity: settings.identity, limits: settings.limits)
            try ProxyRequest.preprocessRoutes(&forwarded, identity: settings.identity)
        } catch {
            reject(transaction, request, status: error.status, reason: error.reason)
            return
        }
        if request.method == .options, let uri = try? forwarded.requestURI(), uri.user == nil,
            settings.identity.isOwnAddress(uri), (try? forwarded.routes().isEmpty) != false
        {
            // An OPTIONS for the proxy itself (a PBX's keep-alive, "qualify"): answered here (RFC 3261 11.2).
            statistics.answeredLocally += 1
            _ = layer.respond(
                transaction,
                with: request.makeResponse(
                    status: 200, reason: "OK", toTag: toTag(request),
                    extraHeaders: [("Allow", "INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, PRACK, REFER, NOTIFY, MESSAGE")]))
            return
        }
        if request.method == .bye, !dialogs.isEmpty, let callID = try? request.callID() { dialogs[callID] = nil }
        var user: String?
        if !settings.interceptors.isEmpty {
            switch intercept(request, transaction: transaction, inbound: inbound) {
            case .answered: return
            case .authenticated(let name): user = name
            case .proceed: break
            }
        }
        let groups: [[ForwardTarget?]]
        let hasRoute = (try? forwarded.routes().isEmpty) == false
        let inDialog = ((try? forwarded.to().tag) ?? nil) != nil
        if hasRoute || (inDialog && !requestURIIsOurs(forwarded)) {
            // A route set, or a dialog request for someone else: the Request-URI and Route decide the next hop (16.5).
            groups = [[nil]]
        } else {
            guard let uri = try? forwarded.requestURI() else {
                reject(transaction, request, status: 400, reason: "Malformed Request-URI")
                return
            }
            switch settings.routes.route(forwarded, requestURI: uri, context: RouteContext(inbound: inbound, user: user)) {
            case .reject(let status, let reason):
                reject(transaction, request, status: status, reason: reason)
                return
            case .forward(let targets):
                groups = targets.map { $0.map { Optional($0) } }
            case .bridge(let bridge):
                if request.method == .invite, let b2bua {
                    b2bua.bridge(forwarded, request: bridge, transaction: transaction, inbound: inbound)
                    return
                }
                groups = bridge.candidates.map { [$0.target] }
            }
        }
        let context = ResponseContext(
            request: forwarded, received: request, inbound: inbound, groups: groups, isInvite: request.method == .invite)
        contexts[transaction] = context
        startNextGroup(transaction, context)
    }

    /// Offers the request to the interceptors: `.answered` when one answered
    /// it, `.authenticated` with the user when one vouched for the sender.
    private func intercept(_ request: SIPMessage, transaction: ServerTransactionID, inbound: InboundMessage) -> InterceptOutcome {
        let schedule = schedule
        // A local challenge (401, 407) ends a non-INVITE's transaction at once,
        // as a stateless UAS's would (RFC 3261 8.2.7): unauthenticated requests
        // leave no state behind.
        // The response is serialized on the thread that answers (a registrar's
        // writer, after its commit), so the shard only sends it.
        let invite = request.method == .invite
        let reply = ResponseHandle { [weak self] response in
            guard !response.isRequest else { return }
            let challenge = response.statusCode == 401 || response.statusCode == 407
            let serialized = SerializedResponse(response, invite: invite)
            schedule { [weak self] in
                if challenge {
                    _ = self?.layer.respondStatelessly(transaction, with: serialized)
                } else {
                    _ = self?.layer.respond(transaction, with: serialized)
                }
            }
        }
        var outcome = InterceptOutcome.proceed
        for interceptor in settings.interceptors {
            switch interceptor.intercept(request, inbound: inbound, reply: reply) {
            case .proceed:
                continue
            case .answered:
                statistics.answeredLocally += 1
                return .answered
            case .authenticated(let user):
                logger.debug("authenticated", metadata: ["user": "\(user)", "call-id": "\((try? request.callID()) ?? "-")"])
                outcome = .authenticated(user: user)
            }
        }
        return outcome
    }

    private func startNextGroup(_ transaction: ServerTransactionID, _ context: ResponseContext) {
        while context.nextGroup < context.groups.count {
            let group = context.groups[context.nextGroup]
            context.nextGroup += 1
            for target in group { fork(transaction, context, to: target) }
            if context.branches.contains(where: { !$0.isFinal }) || context.resolving > 0 {
                contexts[transaction] = context
                return
            }
        }
        contexts[transaction] = context
        finish(transaction)
    }

    /// 16.6: one copy of the request to one target, on its own client
    /// transaction; when the next hop needs a DNS lookup, the copy leaves
    /// once it is done (the shard goes on meanwhile).
    private func fork(_ transaction: ServerTransactionID, _ context: ResponseContext, to target: ForwardTarget?) {
        let copy: SIPMessage
        let nextHop: SIPURI
        do {
            // Steps 2, 3, 6: Request-URI, Max-Forwards, Route; step 7: the next hop.
            // A registered contact's Path comes first (RFC 3327 5.3); else the configured pre-loaded Route.
            let preloaded: [String]
            if let path = target?.routeSet, !path.isEmpty {
                preloaded = path
            } else {
                preloaded = (try? context.request.routes().isEmpty) == false ? [] : settings.preloadedRoutes
            }
            (copy, nextHop) = try ProxyRequest.forwardWithNextHop(
                context.request, to: target?.uri, via: nil, recordRoute: [], preloadedRoutes: preloaded)
        } catch {
            return context.synthesized(status: error.status, reason: error.reason)
        }
        // A contact reached over its registration flow (NAT, RFC 5626) goes there unless a Path leads elsewhere.
        if let flow = target.flatMap({ $0.routeSet.isEmpty ? $0.flow : nil }) {
            return send(transaction, context, copy, nextHop: nextHop, to: flow)
        }
        if let targets = resolver.knownTargets(for: nextHop) {
            return send(transaction, context, copy, nextHop: nextHop, to: targets.first)
        }
        context.resolving += 1
        resolver.resolve(nextHop) { [self] targets in
            guard let context = contexts[transaction] else { return }
            context.resolving -= 1
            if !context.cancelled && !context.finalSent { send(transaction, context, copy, nextHop: nextHop, to: targets.first) }
            contexts[transaction] = context
            advance(transaction)
        }
    }

    /// Steps 4 and 8 and the send, once the next hop's address is known.
    private func send(
        _ transaction: ServerTransactionID, _ context: ResponseContext, _ copy: SIPMessage, nextHop: SIPURI, to outbound: OutboundTarget?
    ) {
        uniqueCounter &+= 1
        let branch = BranchFormat.make(shard: shard, loopHash: context.loopHash, unique: uniqueCounter)
        do {
            var message = copy
            guard let outbound else {
                context.synthesized(status: 503, reason: "Service Unavailable: cannot resolve \(nextHop.hostPort)")
                return
            }
            guard let local = sender.localAddress(toward: outbound) ?? settings.identity.listeners[outbound.transport] else {
                context.synthesized(status: 503, reason: "Service Unavailable: no \(outbound.transport) listener")
                return
            }
            // Step 4: Record-Route; a transport change needs our address on both sides.
            if settings.recordRoute && context.isDialogCreating {
                var values: [String] = []
                if let out = settings.identity.recordRoute(for: outbound.transport) { values.append(out) }
                if context.inbound.transport != outbound.transport,
                    let incoming = settings.identity.recordRoute(for: context.inbound.transport)
                {
                    values.append(incoming)
                }
                for value in values.reversed() { message.prependHeader("Record-Route", value: value) }
            }
            // Step 8: our Via.
            message.prependHeader("Via", value: "SIP/2.0/\(outbound.transport.viaToken) \(local.description);branch=\(branch);rport")
            if let limit = outbound.maxMessageSize, message.serialized().count > limit {
                // RFC 3261 21.5.14: a request that cannot fit the next hop's transport (a UDP datagram) is refused as too large.
                context.synthesized(status: 513, reason: "Message Too Large")
                return
            }
            let id = try layer.sendRequest(message, to: outbound)
            branchOwner[id] = transaction
            if context.isInvite { restartTimerC(id) }
            context.branches.append(ResponseContext.Branch(transaction: id))
            statistics.forwarded += 1
        } catch {
            context.synthesized(status: 500, reason: "Server Internal Error")
        }
    }

    /// Whether the Request-URI names this proxy (an address of ours or a local
    /// domain): such a request is routed here, not sent back to ourselves.
    private func requestURIIsOurs(_ request: SIPMessage) -> Bool {
        guard let uri = try? request.requestURI() else { return false }
        return settings.identity.isLocal(uri) || settings.identity.isLocalDomain(uri) || settings.identity.isOwnAddress(uri)
    }

    /// For an ACK whose Request-URI is ours and that has no Route: the first
    /// target the route decision gives (RFC 3261 16.5 applied to the ACK).
    private func routeForOwnRequestURI(_ request: SIPMessage) -> SIPURI? {
        guard requestURIIsOurs(request), let uri = try? request.requestURI(),
            case .forward(let groups) = settings.routes.route(request, requestURI: uri)
        else { return nil }
        return groups.first?.first?.uri
    }

    private func reject(_ transaction: ServerTransactionID, _ request: SIPMessage, status: Int, reason: String) {
        statistics.rejected += 1
        logger.debug("rejected", metadata: ["status": "\(status)", "reason": "\(reason)", "call-id": "\((try? request.callID()) ?? "-")"])
        guard request.method != .ack else { return }
        _ = layer.respond(transaction, with: request.makeResponse(status: status, reason: reason, toTag: toTag(request)))
    }

    private func toTag(_ request: SIPMessage) -> String {
        "sb\(shard)-\(String(ProxyRequest.loopHash(request), radix: 16))"
    }

    public func didReceiveCancel(
        _ cancel: SIPMessage, transaction: ServerTransactionID, cancelling invite: ServerTransactionID?, inbound: InboundMessage
    ) {
        if let b2bua, b2bua.receiveCancel(cancel, transaction: transaction, cancelling: invite) { return }
        // RFC 3261 16.10: answer the CANCEL, then cancel every pending branch.
        guard let invite, let context = contexts[invite] else {
            _ = layer.respond(transaction, with: cancel.makeResponse(status: 481, reason: "Call/Transaction Does Not Exist"))
            return
        }
        _ = layer.respond(transaction, with: cancel.makeResponse(status: 200, reason: "OK"))
        context.cancelled = true
        context.nextGroup = context.groups.count
        contexts[invite] = context
        let reason = cancel.fields(.reason).map { ("Reason", cancel.value(of: $0)) }
        for branch in context.branches where !branch.isFinal {
            layer.cancel(branch.transaction, extraHeaders: reason)
        }
    }

    public func didReceiveAck(_ ack: SIPMessage, acceptedInvite: ServerTransactionID?, inbound: InboundMessage) {
        if let b2bua, b2bua.receiveAck(ack) { return }
        // An ACK for a 2xx is its own end-to-end request: forward it statelessly along its route (16.11).
        var request = ack
        do {
            try ProxyRequest.validate(ack, identity: settings.identity, limits: settings.limits)
            try ProxyRequest.preprocessRoutes(&request, identity: settings.identity)
            let target = (try request.routes().isEmpty) ? routeForOwnRequestURI(request) : nil
            let (forwardedACK, next) = try ProxyRequest.forwardWithNextHop(request, to: target, via: nil, recordRoute: [])
            let loopHash = ProxyRequest.loopHash(ack)
            if let targets = resolver.knownTargets(for: next) {
                sendACK(forwardedACK, loopHash: loopHash, to: targets.first)
            } else {
                resolver.resolve(next) { [self] targets in sendACK(forwardedACK, loopHash: loopHash, to: targets.first) }
            }
        } catch {
            logger.debug("ACK dropped", metadata: ["reason": "\(error)"])
        }
    }

    private func sendACK(_ ack: SIPMessage, loopHash: UInt32, to outbound: OutboundTarget?) {
        guard let outbound, let local = sender.localAddress(toward: outbound) ?? settings.identity.listeners[outbound.transport] else {
            return
        }
        var message = ack
        uniqueCounter &+= 1
        let branch = BranchFormat.make(shard: shard, loopHash: loopHash, unique: uniqueCounter)
        message.prependHeader("Via", value: "SIP/2.0/\(outbound.transport.viaToken) \(local.description);branch=\(branch);rport")
        layer.sendStateless(message, to: outbound)
        statistics.forwarded += 1
    }

    // MARK: responses

    public func didReceiveResponse(_ response: SIPMessage, transaction: ClientTransactionID, inbound: InboundMessage) {
        if let b2bua, b2bua.receiveResponse(response, transaction: transaction) { return }
        guard let owner = branchOwner[transaction], let context = contexts[owner] else { return }
        var forwarded = response
        forwarded.removeFirstValue(.via)
        let status = response.statusCode
        if status < 200 {
            if context.isInvite, status > 100 { restartTimerC(transaction) }
            if status > 100, !context.finalSent { _ = layer.respond(owner, with: forwarded) }
            return
        }
        stopTimerC(transaction)
        if let index = context.branches.firstIndex(where: { $0.transaction == transaction }) {
            context.branches[index].isFinal = true
        }
        if status < 300 {
            if context.isInvite, context.isDialogCreating, settings.recordRoute, let callID = try? response.callID() {
                dialogs[callID] = clock.now
            }
            // 16.7 step 5: every 2xx goes back at once; the other branches of an INVITE are cancelled.
            _ = layer.respond(owner, with: forwarded)
            context.finalSent = true
            if context.isInvite {
                for branch in context.branches where !branch.isFinal { layer.cancel(branch.transaction) }
            }
            context.nextGroup = context.groups.count
            contexts[owner] = context
            cleanUp(owner)
            return
        }
        guard !context.finalSent else { return }
        context.finals.append(forwarded)
        if status >= 600 {
            for branch in context.branches where !branch.isFinal { layer.cancel(branch.transaction) }
            context.nextGroup = context.groups.count
        }
        contexts[owner] = context
        advance(owner)
    }

    public func clientTransactionFailed(_ transaction: ClientTransactionID, failure: ClientTransactionFailure) {
        if let b2bua, b2bua.clientTransactionFailed(transaction, failure: failure) { return }
        stopTimerC(transaction)
        guard let owner = branchOwner[transaction], let context = contexts[owner] else { return }
        if let index = context.branches.firstIndex(where: { $0.transaction == transaction }) {
            context.branches[index].isFinal = true
        }
        statistics.branchFailures += 1
        context.synthesized(status: failure.statusCode, reason: failure.reasonPhrase)
        contexts[owner] = context
        advance(owner)
    }

    /// After a branch ended: wait for the others, try the next group, or answer.
    private func advance(_ owner: ServerTransactionID) {
        guard let context = contexts[owner], !context.finalSent else { return }
        guard !context.branches.contains(where: { !$0.isFinal }), context.resolving == 0 else { return }
        if context.nextGroup < context.groups.count && !context.cancelled {
            startNextGroup(owner, context)
        } else {
            finish(owner)
        }
    }

    /// 16.7 step 6-8: the best final response goes back.
    private func finish(_ owner: ServerTransactionID) {
        guard let context = contexts[owner], !context.finalSent else { return }
        var best: SIPMessage
        if let index = ResponseSelection.bestIndex(of: context.finals) {
            best = context.finals[index]
            ResponseSelection.aggregateChallenges(into: &best, from: context.finals)
            if best.statusCode == 503 {
                best = context.received.makeResponse(status: 500, reason: "Server Internal Error", toTag: toTag(context.received))
            }
        } else if let synthesized = context.synthesizedStatus {
            // A 503 of our own becomes 500 (16.7 step 6); why it failed goes in a Warning, not the reason phrase.
            let status = synthesized.status == 503 ? 500 : synthesized.status
            let reason = status == 500 ? "Server Internal Error" : synthesized.reason
            let text = synthesized.reason.replacingOccurrences(of: "\"", with: "'")
            best = context.received.makeResponse(
                status: status, reason: reason, toTag: toTag(context.received),
                extraHeaders: [("Warning", "399 switchboard \"\(text)\"")])
        } else {
            best = context.received.makeResponse(status: 408, reason: "Request Timeout", toTag: toTag(context.received))
        }
        if context.cancelled && context.isInvite && context.finals.isEmpty {
            best = context.received.makeResponse(status: 487, reason: "Request Terminated", toTag: toTag(context.received))
        }
        _ = layer.respond(owner, with: best)
        context.finalSent = true
        contexts[owner] = context
        cleanUp(owner)
    }

    private func cleanUp(_ owner: ServerTransactionID) {
        guard let context = contexts[owner], context.finalSent else { return }
        context.finals = []
        // 2xx retransmissions for an INVITE keep arriving on the client transactions (RFC 6026);
        // keep the mapping until the server transaction ends.
        guard !context.isInvite else { return }
        // A non-INVITE's context has no use once its final response is sent (16.7: later responses are
        // not forwarded); its server transaction absorbs retransmissions alone until Timer J.
        for branch in context.branches { branchOwner[branch.transaction] = nil }
        contexts[owner] = nil
    }

    public func didReceiveStrayResponse(_ response: SIPMessage, inbound: InboundMessage) {
        // 16.7: a 2xx for an INVITE without a transaction (a retransmission after ours ended) is forwarded
        // statelessly by the next Via; anything else is dropped.
        if let b2bua, b2bua.receiveStrayResponse(response) { return }
        guard response.statusCode >= 200, response.statusCode < 300, response.method == .invite,
            let top = try? response.topVia(), let branch = top.branch, BranchFormat.shard(of: branch) != nil
        else {
            statistics.strayDropped += 1
            return
        }
        var forwarded = response
        forwarded.removeFirstValue(.via)
        guard let next = try? forwarded.topVia(), let target = Self.responseTarget(next) else { return }
        layer.sendStateless(forwarded, to: target)
    }

    /// Where a response goes by its Via (RFC 3261 18.2.2 for a stateless send).
    static func responseTarget(_ via: Via) -> OutboundTarget? {
        let transport = TransportProtocol(token: via.transport) ?? .udp
        let host = via.received ?? via.host
        let port: UInt16
        if case .some(.some(let rport)) = via.rport { port = rport } else { port = via.port ?? transport.defaultPort }
        guard let address = SocketAddress(ip: host, port: port) else { return nil }
        return OutboundTarget(transport: transport, address: address)
    }

    public func serverTransactionTerminated(_ transaction: ServerTransactionID, end: ServerTransactionEnd) {
        if let b2bua, b2bua.serverTransactionTerminated(transaction, end: end) { return }
        guard let context = contexts.removeValue(forKey: transaction) else { return }
        for branch in context.branches {
            branchOwner[branch.transaction] = nil
            stopTimerC(branch.transaction)
        }
    }

    // MARK: Timer C

    private func restartTimerC(_ branch: ClientTransactionID) {
        stopTimerC(branch)
        timerCIDs[branch] = timerC.schedule(at: clock.now + settings.timerC, branch)
    }

    private func stopTimerC(_ branch: ClientTransactionID) {
        if let id = timerCIDs.removeValue(forKey: branch) { _ = timerC.cancel(id) }
    }

    /// Fires due Timer C timers: the branch is cancelled, or, without any
    /// provisional response, ended as if it had answered 408 (16.6 step 11).
    public func tick() {
        b2bua?.tick()
        let now = clock.now
        if !dialogs.isEmpty, now - dialogsCheckedAt > 60_000 {
            dialogsCheckedAt = now
            dialogs = dialogs.filter { now - $0.value < Self.dialogLifetime }
        }
        while let due = timerC.popDue(upTo: now) {
            let branch = due.payload
            timerCIDs[branch] = nil
            if layer.cancel(branch) == nil {
                clientTransactionFailed(branch, failure: .timeout)
            }
        }
    }
}

/// Counters for `ctl status` and metrics.
public struct ProxyStatistics: Sendable {
    public var requests = 0
    public var forwarded = 0
    public var rejected = 0
    public var branchFailures = 0
    public var strayDropped = 0
    /// Requests for the proxy itself answered here (OPTIONS keep-alives).
    public var answeredLocally = 0
}
