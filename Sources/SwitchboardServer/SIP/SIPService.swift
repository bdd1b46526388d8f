import CallCore
import Dispatch
import Foundation
import Emergency
import Logging
import Registrar
import SIPCore
import SIPTransaction
import SIPTransport

/// The SIP side of the running server: the transport layer's listeners and
/// N shards, each a serial queue owning a transaction layer and a proxy
/// core (DESIGN.md "Concurrency"). A request's shard is a hash of its
/// Call-ID; a response finds its shard from the branch Switchboard wrote.
public final class SIPService: @unchecked Sendable {
    let transport: SIPTransportLayer
    private(set) var shards: [Shard] = []
    let logger: Logger
    private let state: LockedValue<State>

    private struct State {
        var draining = false
        var configuration: Configuration
        /// Recognises emergency calls, which a drain never refuses.
        var emergency: EmergencyPolicy

        init(configuration: Configuration) {
            self.configuration = configuration
            emergency = EmergencyPolicy(configuration)
        }
    }

    /// One shard: everything in it runs on `queue`.
    ///
    /// Its timers run from `tickIfDue`: after each message the shard handles
    /// (no thread is woken for them while messages flow) and from a backstop
    /// timer source for when none come. The backstop wakes five times less
    /// often than the timers' 10 ms resolution, which is what an idle or
    /// lightly loaded shard spent most of its wake-ups on.
    final class Shard: @unchecked Sendable {
        let index: Int
        let queue: DispatchQueue
        let layer: TransactionLayer
        let core: ProxyCore
        let tick: any DispatchSourceTimer
        /// Work handed to the shard from other threads.
        let inbox: ShardInbox
        /// When timers last ran (monotonic nanoseconds); confined to `queue`.
        private var lastTick: UInt64 = 0
        static let resolution: UInt64 = 10_000_000

        init(index: Int, queue: DispatchQueue, layer: TransactionLayer, core: ProxyCore, tick: any DispatchSourceTimer, inbox: ShardInbox) {
            self.index = index
            self.queue = queue
            self.layer = layer
            self.core = core
            self.tick = tick
            self.inbox = inbox
        }

        /// Runs the due timers of the transaction layer and the core, at most once per resolution step.
        func tickIfDue() {
            let now = DispatchTime.now().uptimeNanoseconds
            guard now &- lastTick >= Self.resolution else { return }
            lastTick = now
            layer.tick()
            core.tick()
        }

        /// How often the backstop runs: a tenth of T1 (RFC 3261 timers are multiples of it), 10–50 ms.
        static func backstop(t1 milliseconds: Int64) -> Int {
            Int(min(50, max(10, milliseconds / 10)))
        }
    }

    /// The registrar and the secret its settings are derived with; nil runs a plain proxy.
    let registrar: (service: RegistrarService, secret: [UInt8])?

    /// Carriers' limits, breakers and health, shared by every shard's B2BUA; ended calls' records go on to the CDR writer.
    let carriers: CarrierAccounting
    /// Notifications, callback windows and recent records of emergency calls.
    let emergencyCalls: EmergencyCalls
    /// OPTIONS probes of the carriers' termination hosts.
    let prober: HealthProber
    /// The relay's settings as started (nil: media not relayed), and whether the kernel took its fast path.
    private(set) var media: MediaSettings?
    /// Why the kernel refused kernel forwarding, when it did.
    private(set) var kernelForwardingRefusal: String?

    var kernelForwarding: KernelForwardingState {
        if media?.kernelForwarder != nil { return .active }
        return kernelForwardingRefusal == nil ? .off : .unavailable
    }

    public init(
        configuration: Configuration, logger: Logger, registrar: (service: RegistrarService, secret: [UInt8])? = nil,
        cdr: (any CDRSink)? = nil
    ) {
        self.logger = logger
        self.registrar = registrar
        emergencyCalls = EmergencyCalls(policy: EmergencyPolicy(configuration), logger: Logger(label: "switchboard.emergency"))
        carriers = CarrierAccounting(cdr: cdr, emergency: emergencyCalls, logger: Logger(label: "switchboard.carriers"))
        carriers.configure(configuration.routing.plan.carriers)
        carriers.customers.configure(configuration.routing.customers)
        let limits = configuration.sip.limits
        let transportConfiguration = TransportConfiguration(
            parserLimits: SIPParserLimits(
                maxMessageSize: limits.maxMessageSize, maxHeaders: limits.maxHeaders, maxVias: limits.maxVia),
            maxConnections: limits.maxTCPConnections,
            idleTimeout: Self.seconds(limits.tcpIdleTimeout),
            handshakeTimeout: Self.seconds(limits.tlsHandshakeTimeout),
            maxStreamMessageSize: limits.maxMessageSize,
            datagramReceivers: configuration.sip.udpReceiveThreads,
            logger: Logger(label: "switchboard.transport"))
        transport = SIPTransportLayer(listeners: Self.listeners(configuration), configuration: transportConfiguration)
        prober = HealthProber(accounting: carriers, transport: transport, logger: Logger(label: "switchboard.health"))
        state = LockedValue(State(configuration: configuration))
    }

    static func listeners(_ configuration: Configuration) -> [SIPTransport.ListenAddress] {
        configuration.sip.listen.compactMap { listen in
            let transport: TransportProtocol
            switch listen.transport {
            case .udp: transport = .udp
            case .tcp: transport = .tcp
            case .tls: transport = .tls
            }
            var host = listen.host
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            guard let address = SocketAddress(ip: host, port: listen.port) else { return nil }
            return SIPTransport.ListenAddress(transport: transport, address: address)
        }
    }

    /// Opens the listeners and starts the shards.
    public func start() throws(ListenError) {
        let configuration = state.withLock { $0.configuration }
        let count = configuration.server.effectiveShards
        do {
            try installTLS(configuration.sip.tls)
        } catch {
            // Validation loaded the same files; they changed or vanished since.
            if let listen = Self.listeners(configuration).first(where: { $0.transport == .tls }) {
                throw ListenError(listen: listen, reason: error.description)
            }
            logger.error("TLS unavailable for outgoing connections", metadata: ["reason": "\(error)"])
        }
        transport.onMessage = { [weak self] inbound in self?.deliver(inbound) }
        emergencyCalls.setMessenger { [weak self] uri, text in self?.sendMessage(to: uri, text: text) }
        prober.configure(configuration.routing.plan.carriers, interval: configuration.routing.healthProbeInterval)
        transport.onFailure = { [weak self] failure in
            guard let self else { return }
            for shard in self.shards { shard.queue.async { shard.layer.transportFailed(failure) } }
        }
        try transport.start()
        let settings = proxySettings(configuration)
        let timers = Self.timers(configuration)
        let clock = MonotonicClock()
        let resolver = TransportResolver.resolver(nameserver: configuration.sip.nameserver)
        // One port pool for every shard's relay, so two calls never share a port pair.
        let relay = configuration.media
        var media =
            relay.enabled
            ? MediaSettings(
                portRange: relay.ports, relayIPv4: relay.relayIPv4.isEmpty ? nil : relay.relayIPv4,
                relayIPv6: relay.relayIPv6.isEmpty ? nil : relay.relayIPv6, mediaTimeout: relay.timeout)
            : nil
        if relay.kernelForwarding == .auto, media != nil {
            // The server logs the outcome with its start (and the reason once, when the kernel refused).
            kernelForwardingRefusal = media?.startKernelForwarding()
        }
        self.media = media
        shards = (0..<count).map { index in
            let queue = DispatchQueue(label: "switchboard.shard.\(index)")
            let shardResolver = TransportResolver(resolver: resolver, queue: queue)
            let core = ProxyCore(
                shard: index, settings: settings, sender: transport, resolver: shardResolver, clock: clock,
                logger: Logger(label: "switchboard.proxy"))
            let layer = TransactionLayer(clock: clock, timers: timers, sender: transport, user: core, shard: index, queue: queue)
            core.layer = layer
            // An interceptor's answer given while the request is handled (a 401
            // challenge) goes out at once, in the receiver's send batch; one
            // given later (a 200 after the group commit) goes through the
            // shard's inbox, which a UDP receiver drains between its batches.
            let onShard = DispatchSpecificKey<Int>()
            queue.setSpecific(key: onShard, value: index)
            let inbox = ShardInbox(queue: queue, receivers: transport.receiverTurns)
            core.schedule = { work in
                if DispatchQueue.getSpecific(key: onShard) == index { work() } else { inbox.post(work) }
            }
            // Trunk calls (route outcome `bridge`) run as back-to-back calls on the same shard.
            core.b2bua = B2BUA(
                shard: index, settings: B2BUA.Settings(identity: settings.identity, shardCount: count, media: media, observer: carriers),
                sender: transport,
                resolver: shardResolver, clock: clock, logger: Logger(label: "switchboard.b2bua"))
            let tick = DispatchSource.makeTimerSource(queue: queue)
            let backstop = Shard.backstop(t1: timers.t1)
            tick.schedule(deadline: .now() + .milliseconds(backstop), repeating: .milliseconds(backstop), leeway: .milliseconds(5))
            let shard = Shard(index: index, queue: queue, layer: layer, core: core, tick: tick, inbox: inbox)
            tick.setEventHandler { [weak shard] in shard?.tickIfDue() }
            tick.resume()
            return shard
        }
        let inboxes = shards.map(\.inbox)
        // REGISTERs first: the answers they make at once leave with the shards' drains.
        let registrarService = registrar?.service
        transport.receiverTurns.setHandler {
            registrarService?.drainHandedOver()
            for inbox in inboxes { inbox.drain() }
        }
        // The registrar's own queue and its writer take turns like a receiver: the
        // answers they hand over leave from their threads, waking none.
        registrar?.service.takeTurns(of: transport.receiverTurns)
    }

    /// An INVITE for an emergency or test number (911, 933, 112 …).
    static func isEmergencyCall(_ request: SIPMessage, _ policy: EmergencyPolicy) -> Bool {
        guard request.method == .invite, let uri = try? request.requestURI() else { return false }
        return policy.classify(uri).takesEmergencyRoute
    }

    /// Which shard a message belongs to.
    func shardIndex(for message: SIPMessage) -> Int {
        let count = shards.count
        if !message.isRequest, let branch = try? message.topVia().branch, let shard = BranchFormat.shard(of: branch), shard < count {
            return shard
        }
        guard let callID = try? message.callIDBytes() else { return 0 }
        var hash = FNV1a()
        hash.add(bytes: callID)
        return Int(hash.value % UInt32(count))
    }

    private func deliver(_ inbound: InboundMessage) {
        guard !shards.isEmpty else { return }
        if !inbound.message.isRequest, prober.take(inbound.message) { return }
        if let emergency = state.withLock({ $0.draining ? $0.emergency : nil }), inbound.message.isRequest,
            inbound.message.method != .ack, inbound.message.method != .cancel,
            ((try? inbound.message.to().tag) ?? nil) == nil, !Self.isEmergencyCall(inbound.message, emergency)
        {
            // Draining: new calls are refused (DESIGN.md), calls in progress continue; emergency calls always go through.
            let response = inbound.message.makeResponse(
                status: 503, reason: "Service Unavailable", extraHeaders: [("Retry-After", "30")])
            transport.send(response.serialized(), to: ResponseRoute.target(for: inbound))
            return
        }
        let shard = shards[shardIndex(for: inbound.message)]
        // Synchronously: an idle shard runs the message on this receiving thread, with
        // no wake-up of another thread (the cost that dominates a proxy's CPU);
        // a busy shard makes the receiver wait its turn, which is the back-pressure wanted.
        shard.queue.sync {
            shard.layer.receive(inbound)
            shard.tickIfDue()
        }
    }

    private func proxySettings(_ configuration: Configuration) -> ProxyCore.Settings {
        var listeners: [TransportProtocol: SocketAddress] = [:]
        for (listen, bound) in transport.boundAddresses where listeners[listen.transport] == nil {
            listeners[listen.transport] = bound
        }
        let limits = configuration.sip.limits
        let identity = ProxyIdentity(listeners: listeners, domains: Set(configuration.sip.domains))
        let table = configuration.proxy.routeTable()
        let routes: any RouteDecision =
            configuration.routing.plan.isEnabled
            ? TrunkRouteDecision(
                plan: configuration.routing.plan, table: table, relay: configuration.media.relay,
                localHost: (listeners[.udp] ?? listeners.values.first)?.hostText ?? "invalid",
                inbound: configuration.routing.inbound, isUp: { [carriers] in carriers.isUp($0) }) : table
        var settings = ProxyCore.Settings(
            identity: identity,
            routes: routes, recordRoute: configuration.proxy.recordRoute,
            preloadedRoutes: configuration.proxy.preloadedRoutes,
            limits: SIPParserLimits(maxMessageSize: limits.maxMessageSize, maxHeaders: limits.maxHeaders, maxVias: limits.maxVia))
        if let registrar {
            registrar.service.apply(RegistrarSetup.settings(configuration, secret: registrar.secret))
            if configuration.registrar.enabled {
                settings.interceptors.append(RegistrarInterceptor(service: registrar.service, identity: identity))
                // Calls between users go through the B2BUA (and its relay) unless media is off or local_calls = "never".
                let media = configuration.media
                let localCalls = media.enabled ? LocalCallMedia(rawValue: media.localCalls.rawValue) ?? .never : .never
                settings.routes = LocationRouteDecision(
                    service: registrar.service, identity: identity, fallback: settings.routes, localCalls: localCalls)
            }
            settings.interceptors.append(AuthenticationInterceptor(service: registrar.service))
        }
        let service = registrar?.service
        // Calls from carriers go to their DIDs only, before the location service and least-cost routing.
        if configuration.routing.plan.isEnabled {
            settings.routes = InboundRouteDecision(
                inbound: configuration.routing.inbound, relay: configuration.media.relay, localDomains: Set(configuration.sip.domains),
                locate: { uri in service?.targets(for: uri) }, fallback: settings.routes)
        }
        // Emergency calls first, before every other rule (and the PSAP's callbacks).
        settings.routes = EmergencyRouteDecision(
            policy: state.withLock { $0.emergency }, fallback: settings.routes, calls: emergencyCalls,
            locate: { uri in service?.targets(for: uri) })
        return settings
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func milliseconds(_ d: Duration) -> Int64 {
        d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
    }

    static func timers(_ configuration: Configuration) -> TransactionTimers {
        let t = configuration.sip.timers
        return TransactionTimers(
            t1: milliseconds(t.t1), t2: milliseconds(t.t2), t4: milliseconds(t.t4),
            sendTryingImmediately: true)
    }

    /// Applies a reloaded configuration: listeners change, routes and
    /// proxy settings apply to requests that arrive afterwards.
    public func apply(_ configuration: Configuration) {
        let emergency = EmergencyPolicy(configuration)
        state.withLock {
            $0.configuration = configuration
            $0.emergency = emergency
        }
        do {
            try installTLS(configuration.sip.tls)
            if !configuration.sip.tls.certificate.isEmpty {
                logger.info("TLS certificate reloaded", metadata: ["certificate": "\(configuration.sip.tls.certificate)"])
            }
        } catch {
            logger.error("TLS certificate reload failed, keeping the one in use", metadata: ["reason": "\(error)"])
        }
        do {
            try transport.reconfigure(listeners: Self.listeners(configuration))
        } catch {
            logger.error("listeners unchanged", metadata: ["reason": "\(error)"])
        }
        let limits = configuration.sip.limits
        transport.setStreamTimeouts(idle: Self.seconds(limits.tcpIdleTimeout), handshake: Self.seconds(limits.tlsHandshakeTimeout))
        carriers.configure(configuration.routing.plan.carriers)
        carriers.customers.configure(configuration.routing.customers)
        prober.configure(configuration.routing.plan.carriers, interval: configuration.routing.healthProbeInterval)
        emergencyCalls.apply(emergency)
        let settings = proxySettings(configuration)
        for shard in shards {
            shard.queue.async {
                // The replaced settings may hold the last reference to the previous
                // routing plan (a rate table of millions of entries): freed off the shard.
                let previous = shard.core.settings
                shard.core.settings = settings
                shard.core.b2bua?.settings.identity = settings.identity
                DispatchQueue.global(qos: .utility).async { withExtendedLifetime(previous) {} }
            }
        }
    }

    /// Reads the TLS files into a new context and makes it the one new TLS
    /// connections use; connections already open keep the context they began with.
    private func installTLS(_ settings: TLSSettings) throws(TLSError) {
        let context = try settings.makeContext()
        transport.setStreamTransform(TLSStreamTransform.factory(context), for: .tls)
    }

    /// Stops taking new calls; done when no request waits for its final
    /// response and no call is up (bridged trunk and emergency calls,
    /// answered proxied calls until their BYE), or at the deadline.
    public func drain(until deadline: DispatchTime, done: @escaping @Sendable () -> Void) {
        state.withLock { $0.draining = true }
        let queue = DispatchQueue(label: "switchboard.sip.drain")
        @Sendable func check() {
            let status = status()
            let pending = status.pendingRequests + status.bridgedCalls + status.proxiedCalls
            if pending == 0 || DispatchTime.now() >= deadline {
                done()
            } else {
                queue.asyncAfter(deadline: .now() + .milliseconds(100)) { check() }
            }
        }
        queue.async { check() }
    }

    public func stop() {
        transport.receiverTurns.setHandler(nil)
        prober.stop()
        for shard in shards { shard.tick.cancel() }
        transport.stop()
    }

    /// `ctl trunks`: each carrier's health, breaker and channels.
    public func trunksReport() -> String { carriers.report() }

    /// `ctl emergency`: the recent emergency calls, newest first.
    public func emergencyReport() -> String {
        let recent = emergencyCalls.recent()
        guard !recent.isEmpty else { return "no emergency calls since start\n" }
        let format = ISO8601DateFormatter()
        return recent.map { r in
            let start = format.string(from: Date(timeIntervalSince1970: r.startTime))
            return "\(start) caller=\(r.caller) dialled=\(r.dialled) sbc=\(r.carrier ?? "-") status=\(r.status) cause=\(r.cause.rawValue) "
                + "duration=\(r.duration)s call-id=\(r.callID)\n"
        }.joined()
    }

    /// Counters for `ctl status`, read on each shard's queue.
    public func status() -> SIPServiceStatus {
        var result = SIPServiceStatus()
        result.shards = shards.count
        result.draining = state.withLock { $0.draining }
        for shard in shards {
            shard.queue.sync {
                let t = shard.layer.statistics
                result.serverTransactions += t.activeServerInvite + t.activeServerNonInvite
                result.clientTransactions += t.activeClientInvite + t.activeClientNonInvite
                result.pendingRequests += shard.core.pendingRequests
                result.requests += shard.core.statistics.requests
                result.forwarded += shard.core.statistics.forwarded
                result.rejected += shard.core.statistics.rejected
                result.bridgedCalls += shard.core.b2bua?.activeCalls ?? 0
                result.proxiedCalls += shard.core.activeDialogs
                result.bridgedTotal += shard.core.b2bua?.statistics.calls ?? 0
                result.failovers += shard.core.b2bua?.statistics.failovers ?? 0
            }
        }
        let s = transport.statistics
        result.connections = s.connectionsOpen
        result.datagramsIn = s.datagramsIn
        result.dropped = s.dropped
        result.kernelForwarding = kernelForwarding
        result.kernelForwardingRules = media?.kernelForwardingRules ?? 0
        return result
    }
}

/// What `switchboard ctl status` reports of the SIP side.
public struct SIPServiceStatus: Sendable {
    public var shards = 0
    public var draining = false
    public var serverTransactions = 0
    public var clientTransactions = 0
    public var pendingRequests = 0
    public var requests = 0
    public var forwarded = 0
    public var rejected = 0
    public var connections = 0
    public var datagramsIn = 0
    public var dropped = 0
    /// Trunk and emergency calls up now, bridged since start, failovers since start.
    public var bridgedCalls = 0
    /// Answered calls proxied (record-routed) and not yet ended by a BYE through Switchboard.
    public var proxiedCalls = 0
    public var bridgedTotal = 0
    public var failovers = 0
    /// Whether the relay forwards plain RTP in the kernel, and the stream directions it forwards now.
    public var kernelForwarding = KernelForwardingState.off
    public var kernelForwardingRules = 0
}

/// The media relay's kernel fast path, as `ctl status` reports it.
public enum KernelForwardingState: String, Sendable {
    /// The program is attached; plain RTP directions are forwarded in the kernel.
    case active
    /// `kernel_forwarding = "off"`, or media not relayed.
    case off
    /// "auto", but the kernel refused (the reason was logged at start).
    case unavailable
}

/// The transport layer's RFC 3263 resolver as one shard's resolver: lookups
/// run on the resolver's queues, answers come back on the shard's queue.
struct TransportResolver: TargetResolving {
    let resolver: TargetResolver
    let queue: DispatchQueue

    /// With a nameserver, next-hop names are resolved by RFC 3263 (NAPTR,
    /// SRV, A/AAAA); one resolver, and so one DNS cache, for all shards.
    static func resolver(nameserver: IPEndpoint?) -> TargetResolver {
        var address: SocketAddress? = nil
        if let nameserver {
            var host = nameserver.host
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            address = SocketAddress(ip: host, port: nameserver.port)
        }
        return TargetResolver(nameserver: address)
    }

    func knownTargets(for uri: SIPURI) -> [OutboundTarget]? {
        resolver.cachedTargets(for: uri).map { (try? $0.get()) ?? [] }
    }

    func resolve(_ uri: SIPURI, completion: @escaping @Sendable ([OutboundTarget]) -> Void) {
        resolver.resolve(uri, deliveringOn: queue) { completion((try? $0.get()) ?? []) }
    }
}
