import Foundation
import Logging
import Registrar
import SIPCore
import SIPTransaction
import SIPTransport
import Synchronization
import Testing

@testable import CallCore

/// The wall clock the registrar reads, moved by the test.
final class TestWallClock: Sendable {
    private let seconds = Mutex<Double>(1_700_000_000)
    var now: Double { seconds.withLock { $0 } }
    func advance(_ by: Double) { seconds.withLock { $0 += by } }
}

/// A value several queues read and write under a lock.
final class Shared<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }

    func withLock<R>(_ body: (inout Value) -> R) -> R { value.withLock { body(&$0) } }
}

/// A directory under the system's temporary one, removed with the last reference.
final class TemporaryDirectory: Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("switchboard-registrar-\(UUID().uuidString)").path

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A proxy on 127.0.0.1:5070 for domain `switchboard.test` with the
/// registrar glue wired as SwitchboardServer wires it: the registrar and
/// authentication interceptors, the location service in front of static
/// routes, a real SQLite store in a temporary directory.
///
/// The registrar takes a REGISTER on its own queue, as the server's does,
/// and answers it from its writer's queue once the commit is done;
/// `core.schedule` runs that answer inline, and `register` waits for it with
/// `RegistrarService.flush()`, so the test thread and the registrar's queues
/// never touch the harness at the same time.
final class RegistrarHarness {
    static let realm = "switchboard.test"
    static let local = SocketAddress(ip: "127.0.0.1", port: 5070)!
    static let staticRoute = SocketAddress(ip: "127.0.0.1", port: 5090)!
    static let passwords = ["alice": "alice-secret", "bob": "bob-secret"]

    let clock = VirtualClock()
    let wall: TestWallClock
    let sender = RecordingSender()
    let core: ProxyCore
    let layer: TransactionLayer
    let service: RegistrarService
    let store: SQLiteRegistrarStore
    let directory: TemporaryDirectory
    /// For each answer the registrar handed to the shard: how many bindings the store held at that moment.
    let storedAtReply = Shared<[Int]>([])
    private var branch = 0

    static func settings(
        algorithms: [DigestAlgorithm] = [.sha256, .md5], trusted: [String] = [], md5OnlyUserAgents: [String] = []
    ) -> RegistrarService.Settings {
        let nonces = StatelessNonce(secret: Array(repeating: 7, count: 32), lifetime: .seconds(300))
        return RegistrarService.Settings(
            registrar: RegistrarSettings(localDomains: [realm, "127.0.0.1"]),
            digest: try! DigestConfiguration(realm: realm, algorithms: algorithms, nonces: nonces),
            trusted: try! TrustedSources(parsing: trusted), md5OnlyUserAgents: md5OnlyUserAgents)
    }

    /// A store in `directory` (a fresh temporary one by default); the users are added when it has none.
    init(
        settings: RegistrarService.Settings = RegistrarHarness.settings(), directory: TemporaryDirectory = TemporaryDirectory(),
        wall: TestWallClock = TestWallClock(), ownQueue: Bool = true
    ) throws {
        self.wall = wall
        self.directory = directory
        store = try SQLiteRegistrarStore(directory: directory.path)
        if try store.users().isEmpty {
            for (user, password) in Self.passwords {
                try store.putUser(UserRecord(username: user, realm: Self.realm, ha1: HA1.all(username: user, realm: Self.realm, password: password)))
            }
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        service = try RegistrarService(
            settings: settings, store: store, logger: logger, wallClock: { [wall] in wall.now }, ownQueue: ownQueue)
        let identity = ProxyIdentity(listeners: [.udp: Self.local, .tcp: Self.local], domains: [Self.realm])
        var proxy = ProxyCore.Settings(
            identity: identity,
            routes: RouteTable(rules: [.init(domain: "*", outcome: .forward(uris: [[try SIPURI("sip:127.0.0.1:5090")]]))]))
        proxy.interceptors = [RegistrarInterceptor(service: service, identity: identity), AuthenticationInterceptor(service: service)]
        proxy.routes = LocationRouteDecision(service: service, identity: identity, fallback: proxy.routes)
        core = ProxyCore(shard: 0, settings: proxy, sender: sender, clock: clock, logger: logger)
        layer = TransactionLayer(
            clock: clock, timers: TransactionTimers(sendTryingImmediately: true), sender: sender, user: core, shard: 0)
        core.layer = layer
        let store = store
        let storedAtReply = storedAtReply
        let now = wall
        core.schedule = { work in
            let count = (try? store.loadBindings(now: now.now).count) ?? -1
            storedAtReply.withLock { $0.append(count) }
            work()
        }
    }

    deinit {
        try? store.close()
    }

    /// Hands `message` to the transaction layer and waits for the registrar's
    /// group commit. The wall clock moves on 10 ms first, so that each
    /// challenge carries its own nonce, as with a real clock.
    func receive(_ message: SIPMessage, from source: SocketAddress) {
        wall.advance(0.01)
        layer.receive(InboundMessage(message: message, source: source, local: Self.local, transport: .udp, connection: nil))
        service.flush()
    }

    /// Sends `request` and returns what the proxy sent back to `source` or on.
    func exchange(_ request: SIPMessage, from source: SocketAddress) -> [(message: SIPMessage, target: OutboundTarget)] {
        receive(request, from: source)
        return sender.take()
    }

    /// The final response among what was sent.
    static func final(_ sent: [(message: SIPMessage, target: OutboundTarget)]) -> SIPMessage? {
        sent.last { !$0.message.isRequest && $0.message.statusCode >= 200 }?.message
    }

    func nextBranch() -> String {
        branch += 1
        return "z9hG4bKreg\(branch)"
    }

    // MARK: messages

    /// A REGISTER for `user` sent from a phone whose Contact names `contactHost` (a private address behind NAT).
    func register(
        _ user: String, contactHost: String = "10.0.0.5:5060", cseq: Int = 1, callID: String? = nil, expires: Int = 600,
        extra: [String] = [], contactParameters: String = ""
    ) throws -> SIPMessage {
        let lines =
            [
                "REGISTER sip:\(Self.realm) SIP/2.0", "Via: SIP/2.0/UDP \(contactHost);branch=\(nextBranch());rport",
                "Max-Forwards: 70", "From: <sip:\(user)@\(Self.realm)>;tag=r\(cseq)", "To: <sip:\(user)@\(Self.realm)>",
                "Call-ID: \(callID ?? "reg-\(user)")", "CSeq: \(cseq) REGISTER",
                "Contact: <sip:\(user)@\(contactHost)>;expires=\(expires)\(contactParameters)",
            ] + extra + ["Content-Length: 0"]
        return try SIPMessage(lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    func invite(
        _ uri: String, from user: String = "alice", callID: String = "call-1", toTag: String? = nil, extra: [String] = []
    ) throws -> SIPMessage {
        let lines =
            [
                "INVITE \(uri) SIP/2.0", "Via: SIP/2.0/UDP 203.0.113.50:5060;branch=\(nextBranch())", "Max-Forwards: 70",
                "From: <sip:\(user)@\(Self.realm)>;tag=i1", "To: <\(uri)>\(toTag.map { ";tag=\($0)" } ?? "")", "Call-ID: \(callID)",
                "CSeq: 1 INVITE", "Contact: <sip:\(user)@203.0.113.50:5060>",
            ] + extra + ["Content-Length: 0"]
        return try SIPMessage(lines.joined(separator: "\r\n") + "\r\n\r\n")
    }

    // MARK: digest

    /// The challenges of a 401/407, in order.
    static func challenges(_ response: SIPMessage) -> [String] {
        let name = response.statusCode == 401 ? "WWW-Authenticate" : "Proxy-Authenticate"
        return response.fields(named: name).map { response.value(of: $0) }
    }

    static func parameter(_ name: String, in challenge: String) -> String? {
        guard let start = challenge.range(of: "\(name)=") else { return nil }
        var rest = challenge[start.upperBound...]
        if rest.first == "\"" {
            rest = rest.dropFirst()
            return String(rest.prefix { $0 != "\"" })
        }
        return String(rest.prefix { $0 != "," && $0 != " " })
    }

    /// `Digest …` credentials answering `challenge`, computed from the password with Registrar's HA1 and DigestResponse.
    static func credentials(
        user: String, password: String? = nil, challenge: String, method: String, uri: String, nc: String = "00000001"
    ) -> String {
        let nonce = parameter("nonce", in: challenge)!
        let algorithm = DigestAlgorithm(token: parameter("algorithm", in: challenge) ?? "MD5")!
        let ha1 = HA1.compute(username: user, realm: realm, password: password ?? passwords[user]!, algorithm: algorithm)
        let response = DigestResponse.compute(
            ha1: ha1, algorithm: algorithm, method: method, uri: uri, nonce: nonce, qop: (nc: nc, cnonce: "c0ffee"))
        return "Digest username=\"\(user)\", realm=\"\(realm)\", nonce=\"\(nonce)\", uri=\"\(uri)\", response=\"\(response)\", "
            + "algorithm=\(algorithm.rawValue), qop=auth, nc=\(nc), cnonce=\"c0ffee\""
    }

    /// Registers `user` from `source`: challenge, then credentials for the first challenge (with
    /// `password`, else the user's own); returns the final response.
    @discardableResult
    func registered(
        _ user: String, password: String? = nil, from source: SocketAddress, contactHost: String = "10.0.0.5:5060",
        extra: [String] = [], contactParameters: String = ""
    ) throws -> SIPMessage {
        let first = try register(user, contactHost: contactHost, cseq: 1, extra: extra, contactParameters: contactParameters)
        let challenge = try #require(Self.final(exchange(first, from: source)).map(Self.challenges)?.first)
        let authorization = Self.credentials(
            user: user, password: password, challenge: challenge, method: "REGISTER", uri: "sip:\(Self.realm)")
        let second = try register(
            user, contactHost: contactHost, cseq: 2, extra: extra + ["Authorization: \(authorization)"],
            contactParameters: contactParameters)
        return try #require(Self.final(exchange(second, from: source)))
    }
}
