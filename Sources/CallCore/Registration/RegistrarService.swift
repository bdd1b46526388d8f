import Dispatch
import Foundation
import Logging
import Registrar
import SIPCore
import SIPTransport
import Synchronization

/// The registrar every shard shares: the location service, the users, the
/// digest verifier, and the writer that makes bindings durable.
///
/// A REGISTER and the INVITE that looks its AOR up usually land on
/// different shards (their Call-IDs differ), so the location service is one
/// structure behind a mutex held for a lookup or an update, never across
/// I/O. Store writes are group-committed on the writer's queue and synced
/// on its sync queue; the 200 OK leaves only once the binding is on disk.
/// Users are held in memory (`UserTable`), loaded at start and refreshed
/// from the store's change log each second off the shards' queues, so no
/// request waits on a store read.
///
/// In the server, REGISTERs are checked and applied on the registrar's own
/// queue (`RegistrationInbox`), beside the UDP receivers, not on them.
///
/// `@unchecked Sendable`: all mutable state is behind the mutex; the expiry
/// timer and the inbox are set once in `init` (the timer is only cancelled).
public final class RegistrarService: @unchecked Sendable {
    /// What a reload can change.
    public struct Settings: Sendable {
        public var registrar: RegistrarSettings
        public var digest: DigestConfiguration
        /// Sources whose out-of-dialog requests are not challenged (a PBX by address).
        public var trusted: TrustedSources
        /// Whether calls and other out-of-dialog requests from untrusted sources are challenged (407).
        public var challengeRequests: Bool
        /// Clients (User-Agent substrings, case-insensitive) that refuse a 401/407 naming an
        /// algorithm they do not know: they are offered MD5 alone.
        public var md5OnlyUserAgents: [String]
        /// Contacts with the same q are rung at once (true) or one after another.
        public var parallelEqualPriority: Bool
        /// Seconds between keep-alives a client using outbound is asked for, in
        /// `Flow-Timer` of the 200 to its REGISTER (RFC 5626 4.4.1 and 5.4).
        public var flowTimer: UInt32
        /// Users the configuration defines (`[[auth.user]]`), by name, all in
        /// the digest realm: looked up before the store, so they win over a
        /// stored user of the same name.
        public var configuredUsers: [String: UserRecord]

        public init(
            registrar: RegistrarSettings, digest: DigestConfiguration, trusted: TrustedSources, challengeRequests: Bool = true,
            md5OnlyUserAgents: [String] = [], parallelEqualPriority: Bool = true, flowTimer: UInt32 = 120,
            configuredUsers: [UserRecord] = []
        ) {
            self.registrar = registrar
            self.digest = digest
            self.trusted = trusted
            self.challengeRequests = challengeRequests
            self.md5OnlyUserAgents = md5OnlyUserAgents.map { $0.lowercased() }
            self.parallelEqualPriority = parallelEqualPriority
            self.flowTimer = flowTimer
            self.configuredUsers = Dictionary(configuredUsers.map { ($0.username, $0) }, uniquingKeysWith: { _, last in last })
        }
    }

    /// What the registrar answered since start (`ctl status`).
    public struct Counters: Sendable, Hashable {
        /// REGISTERs answered 200.
        public var registered: UInt64 = 0
        /// 401/407 challenges sent (a first request without credentials, a forged or unknown nonce).
        public var challenged: UInt64 = 0
        /// Challenges with stale=true: right password, but an expired or replayed nonce or count.
        public var stale: UInt64 = 0
        /// 403 for wrong credentials (wrong password, unknown user, another user's AOR).
        public var authFailed: UInt64 = 0
        /// REGISTERs refused for what they asked (400, 404, 423, 403 too many contacts, 500 …).
        public var refused: UInt64 = 0
        /// REGISTERs answered 503 because the registrar's queue was full.
        public var overloaded: UInt64 = 0
    }

    struct State {
        var settings: Settings
        var location = LocationService()
        var nonceCounts = NonceCountTracker(capacity: 65_536)
        /// The store's users; configured users (`Settings.configuredUsers`) are looked up first.
        var users = UserTable()
        /// How far the store's user change log has been applied to `users`.
        var userCursor: Int64 = 0
        var counters = Counters()
    }

    /// Serializes `refreshUsers` (the expiry timer, tests).
    private let userRefresh = Mutex(())

    let state: Mutex<State>
    let store: any RegistrarStore
    let writer: BatchedWriter
    let logger: Logger
    private let expiry: any DispatchSourceTimer
    let wallClock: @Sendable () -> Double
    /// Where the interceptor hands REGISTERs over, when they run on the
    /// registrar's own queue; nil runs them on the calling shard.
    private(set) var inbox: RegistrationInbox?

    /// Loads the live bindings and the users from `store` (expired bindings
    /// are purged there) and starts expiring bindings as their time comes.
    /// With `ownQueue`, REGISTERs taken by `RegistrarInterceptor` are
    /// checked and applied on the registrar's queue (`RegistrationInbox`)
    /// rather than on the shard that received them; past `queueCapacity`
    /// waiting, a REGISTER is answered 503.
    public init(
        settings: Settings, store: any RegistrarStore, logger: Logger,
        wallClock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }, ownQueue: Bool = false,
        queueCapacity: Int = RegistrarService.defaultQueueCapacity
    ) throws(RegistrarStoreError) {
        self.store = store
        self.logger = logger
        self.wallClock = wallClock
        writer = BatchedWriter(store: store)
        let readStart = ContinuousClock.now
        let stored = try store.loadBindings(now: wallClock())
        let indexStart = ContinuousClock.now
        var location = LocationService()
        location.load(stored)
        let readTime = indexStart - readStart
        let indexTime = ContinuousClock.now - indexStart
        let users = try store.userSnapshot()
        var initial = State(settings: settings)
        initial.location = location
        initial.users = users.users
        initial.userCursor = users.cursor
        state = Mutex(initial)
        let queue = DispatchQueue(label: "switchboard.registrar.expiry")
        expiry = DispatchSource.makeTimerSource(queue: queue)
        expiry.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1), leeway: .milliseconds(200))
        expiry.setEventHandler { [weak self] in
            self?.expireBindings()
            self?.refreshUsers()
        }
        expiry.resume()
        installConfiguredUsers(settings)
        // The log up to the snapshot is no longer needed; what the configured users changed is applied.
        do { try store.pruneUserChanges(through: users.cursor) } catch {
            logger.warning("user change log not pruned", metadata: ["cause": "\(error)"])
        }
        refreshUsers()
        if ownQueue {
            inbox = RegistrationInbox(label: "switchboard.registrar.requests", capacity: queueCapacity) { [unowned self] item in
                register(item.request, inbound: item.inbound, reply: item.reply)
            }
        }
        logger.info(
            "registrar loaded",
            metadata: [
                "bindings": "\(location.bindingCount)", "aors": "\(location.aorCount)", "users": "\(users.users.count)",
                "read_time": "\(readTime)", "index_time": "\(indexTime)",
            ])
    }

    deinit {
        expiry.cancel()
    }

    public var settings: Settings {
        get { state.withLock { $0.settings } }
    }

    /// A reloaded configuration: new requests use it, a changed `[[auth.user]]` included.
    public func apply(_ settings: Settings) {
        state.withLock { $0.settings = settings }
        installConfiguredUsers(settings)
        refreshUsers()
    }

    /// Users held in memory (from the store; configured users aside).
    public var userCount: Int { state.withLock { $0.users.count } }

    /// Applies the users changed in the store since the last refresh (by
    /// `switchboard user add|remove` in another process, or a reload's
    /// configured users) to the in-memory table. Runs each second on the
    /// expiry queue; a failure keeps the table and is retried next time.
    public func refreshUsers() {
        userRefresh.withLock { _ in
            let cursor = state.withLock { $0.userCursor }
            let changes: UserChanges
            do {
                changes = try store.userChanges(after: cursor)
            } catch {
                logger.error("users not refreshed", metadata: ["cause": "\(error)"])
                return
            }
            guard changes.cursor != cursor else { return }
            state.withLock {
                $0.users.apply(changes)
                $0.userCursor = changes.cursor
            }
            logger.info("users refreshed", metadata: ["changed": "\(changes.users.count)", "users": "\(state.withLock { $0.users.count })"])
            do { try store.pruneUserChanges(through: changes.cursor) } catch {
                logger.warning("user change log not pruned", metadata: ["cause": "\(error)"])
            }
        }
    }

    /// Bindings held now.
    public var bindingCount: Int { state.withLock { $0.location.bindingCount } }

    /// Counters since start.
    public var counters: Counters { state.withLock { $0.counters } }

    /// Writes the configured users into the store (so `switchboard user list`
    /// shows them) and removes the ones an earlier configuration put there
    /// and this one dropped. Lookups do not depend on it: configured users
    /// are answered from the settings first. A failure is logged only.
    private func installConfiguredUsers(_ settings: Settings) {
        do {
            let stored = try store.users()
            for user in settings.configuredUsers.values where !stored.contains(user) {
                try store.putUser(user)
            }
            for user in stored where user.note == UserRecord.configurationNote && settings.configuredUsers[user.username]?.realm != user.realm {
                try store.removeUser(username: user.username, realm: user.realm)
            }
        } catch {
            logger.error("configured users not written to the user store", metadata: ["cause": "\(error)"])
        }
    }

    /// Waits until every REGISTER handed over has been handled and every
    /// acknowledged change is on disk (drain, tests).
    public func flush() {
        inbox?.flush()
        writer.flush()
    }

    /// Hands the registrar's answers to the shards in turns of `turns` (the
    /// UDP receivers'): those made on the registrar's queue after each batch
    /// of REGISTERs, the 200s after each sync of the store, each from the
    /// thread that made them, with no thread woken per answer.
    public func takeTurns(of turns: ReceiverTurns) {
        inbox?.setTurns(turns)
        writer.setCompletionScope { body in turns.takingTurn(body) }
    }

    /// From the UDP receivers' handler between batches (`takeTurns`): the
    /// REGISTERs handed over while a receiver was busy, which woke nothing,
    /// are handled now: up to `RegistrationInbox.receiverLimit` on the
    /// calling thread, more on the registrar's queue (`RegistrationInbox.drain`).
    public func drainHandedOver() {
        inbox?.drain()
    }

    /// A REGISTER for one of our domains, from a shard: handed to the
    /// registrar's queue when it has one, else handled now. One without
    /// credentials is challenged at once, statelessly, on the shard: a 401
    /// costs less to make than to hand over, and a flood of them then leaves
    /// nothing queued.
    func accept(_ request: SIPMessage, inbound: InboundMessage, reply: ResponseHandle) {
        guard let inbox, request.firstField(.authorization) != nil else { return register(request, inbound: inbound, reply: reply) }
        guard inbox.post(RegistrationInbox.Item(request: request, inbound: inbound, reply: reply)) else {
            // RFC 3261 21.5.4: overloaded, try again shortly (a phone keeps its binding meanwhile).
            state.withLock { $0.counters.overloaded += 1 }
            return reply(
                request.makeResponse(
                    status: 503, reason: "Service Unavailable", toTag: Self.toTag(request),
                    extraHeaders: [("Retry-After", "\(Self.overloadRetryAfter)")]))
        }
    }

    /// REGISTERs the registrar's queue holds before it answers 503: about a
    /// tenth of a second of a core's work, well inside SIP's first
    /// retransmission interval (T1, 500 ms).
    public static let defaultQueueCapacity = 4096

    /// Seconds a REGISTER answered 503 for overload is told to wait.
    static let overloadRetryAfter = 5

    private func expireBindings() {
        let now = wallClock()
        let expired = state.withLock { s -> [Binding] in
            s.nonceCounts.removeExpired(now: WallTime(secondsSince1970: now))
            return s.location.expire(now: now)
        }
        for binding in expired {
            logger.debug("binding expired", metadata: ["aor": "\(binding.aor)", "contact": "\(binding.contactText)"])
        }
    }

    // MARK: lookups

    /// The live contacts of an AOR as forward targets: groups of equal q,
    /// highest first (RFC 3261 16.6 with the location service of 10.3).
    public func targets(for uri: SIPURI) -> [[ForwardTarget]]? {
        let now = wallClock()
        let (groups, parallel): ([[Binding]], Bool) = state.withLock { s in
            if uri.parameters.contains("gr") {
                let found = s.location.lookup(gruu: uri, now: now)
                return (found.isEmpty ? [] : [found], s.settings.parallelEqualPriority)
            }
            guard let aor = try? AddressOfRecord(uri: uri) else { return ([], true) }
            return (s.location.lookup(aor, now: now), s.settings.parallelEqualPriority)
        }
        guard !groups.isEmpty else { return nil }
        let targets = groups.map { $0.map(Self.target(for:)) }
        return parallel ? targets : targets.flatMap { $0.map { [$0] } }
    }

    /// Bindings for `ctl registrations`, optionally of one AOR, with the time now.
    public func bindings(aor: String? = nil) -> (bindings: [Binding], now: Double) {
        let now = wallClock()
        let all = state.withLock { s -> [Binding] in
            if let aor, let key = AddressOfRecord(canonical: aor) ?? (try? SIPURI(aor)).flatMap({ try? AddressOfRecord(uri: $0) }) {
                return s.location.bindings(for: key, now: now)
            }
            return s.location.allBindings(now: now)
        }
        return (all.sorted { ($0.aor.description, $0.registeredAt) < ($1.aor.description, $1.registeredAt) }, now)
    }

    /// The contact reached over the flow its REGISTER came in on: the
    /// source address (NAT, RFC 3261 18.2.2 style "received") and, for TCP
    /// and TLS, the very connection (RFC 5626 5.3).
    static func target(for binding: Binding) -> ForwardTarget {
        var flow: OutboundTarget?
        if let transport = TransportProtocol(token: binding.source.transport),
            let address = SocketAddress(hostPort: binding.source.address)
        {
            flow = OutboundTarget(
                transport: transport, address: address, connection: binding.source.flowToken.map(ConnectionID.init(rawValue:)))
        }
        return ForwardTarget(uri: binding.contactURI, routeSet: binding.path, flow: flow)
    }
}

extension SocketAddress {
    /// `192.0.2.1:5060` or `[2001:db8::1]:5060`.
    init?(hostPort text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]) else { return nil }
        var host = text[..<colon]
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        self.init(ip: String(host), port: port)
    }
}

extension WallTime {
    init(secondsSince1970 seconds: Double) {
        self.init(millisecondsSinceEpoch: Int64(seconds * 1000))
    }
}
