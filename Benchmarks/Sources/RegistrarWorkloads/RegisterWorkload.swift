import CallCore
import Logging
import Registrar
import SIPCore
import SIPTransport
import Synchronization

/// A phone refreshing its registration with the registrar, as
/// scripts/bench-registrar.sh loads it: one user with an MD5 HA1 in the user
/// table, a first REGISTER challenged (401), then refreshes that reuse the
/// nonce with nc+1 and CSeq+1, the same Call-ID and Contact, and a correct
/// digest response computed from the password.
///
/// Each refresh goes through the interceptor the server installs
/// (`RegistrarInterceptor` → `RegistrarService.register`), from the bytes a
/// UDP receiver hands over to the bytes of the 200 it sends back. The
/// registrar answers from its writer's completion; `commit()` runs that
/// commit on the calling thread, so that a loop can leave it out of what it
/// counts (`receive` and `respond` are the receive thread's part).
public final class RegisterWorkload {
    public static let realm = "registrar.example.net"
    static let user = "user1"
    static let password = "user1-secret"
    static let requestURI = "sip:\(realm)"
    static let callID = "1-6f2c81@198.51.100.20"
    static let cnonce = "9e3b4c61"

    let service: RegistrarService
    let interceptor: RegistrarInterceptor
    let inbound: InboundMessage
    let ha1 = HA1.compute(username: user, realm: realm, password: password, algorithm: .md5)
    private(set) var nonce = ""
    /// The last response the registrar handed back.
    let answer = Answer()
    /// Refreshes built so far; the next one has nc = count + 2, CSeq = count + 3.
    private var built = 0

    /// Starts a registrar and registers the phone (challenge, then credentials).
    public init() throws {
        let store = MemoryRegistrarStore(users: [
            UserRecord(username: Self.user, realm: Self.realm, ha1: [.md5: ha1], note: "")
        ])
        let nonces = StatelessNonce(secret: Array(repeating: 7, count: 32), lifetime: .seconds(3600))
        let settings = RegistrarService.Settings(
            registrar: RegistrarSettings(localDomains: [Self.realm]),
            digest: try DigestConfiguration(realm: Self.realm, algorithms: [.md5], nonces: nonces),
            trusted: try TrustedSources(parsing: []))
        var logger = Logger(label: "bench")
        logger.logLevel = .critical
        // A fixed instant: the nonce stays fresh and each refresh asks for the same interval.
        service = try RegistrarService(settings: settings, store: store, logger: logger, wallClock: { 1_800_000_000 })
        let local = SocketAddress(ip: "203.0.113.5", port: 5060)!
        interceptor = RegistrarInterceptor(
            service: service, identity: ProxyIdentity(listeners: [.udp: local], domains: [Self.realm]))
        let first = try SIPMessage(bytes: Self.register(cseq: 1, authorization: nil))
        inbound = InboundMessage(
            message: first, source: SocketAddress(ip: "198.51.100.20", port: 5060)!, local: local, transport: .udp, connection: nil)

        _ = try receive(Self.register(cseq: 1, authorization: nil))
        guard let challenge = answer.withLock({ $0 }), challenge.statusCode == 401,
            let nonce = try challenge.wwwAuthenticate().first?.nonce
        else { throw WorkloadError.unexpected("no challenge to the first REGISTER") }
        self.nonce = nonce
        _ = try receive(Self.register(cseq: 2, authorization: authorization(nc: 1)))
        commit()
        guard answer.withLock({ $0?.statusCode }) == 200 else { throw WorkloadError.unexpected("first registration refused") }
    }

    /// Where the response handle leaves the answer (any thread).
    final class Answer: Sendable {
        private let value = Mutex<SIPMessage?>(nil)

        func withLock<R>(_ body: (inout SIPMessage?) -> R) -> R { value.withLock { body(&$0) } }
    }

    public enum WorkloadError: Error {
        case unexpected(String)
    }

    /// The bytes of the next refresh (not part of what is measured).
    public func nextRefresh() -> [UInt8] {
        built += 1
        return Self.register(cseq: UInt32(built + 2), authorization: authorization(nc: UInt32(built + 1)))
    }

    /// What the UDP receiver does with a REGISTER: parse, then hand it to the
    /// registrar. Returns a checksum.
    @inline(never)
    public func receive(_ bytes: [UInt8]) throws -> Int {
        let request = try SIPMessage(bytes: bytes)
        var inbound = inbound
        inbound.message = request
        let answer = answer
        let outcome = interceptor.intercept(
            request, inbound: inbound, reply: ResponseHandle { response in answer.withLock { $0 = response } })
        return outcome == .answered ? bytes.count : -1
    }

    /// Commits what the registrar submitted, on this thread (the writer's work).
    @inline(never)
    public func commit() {
        service.flush()
    }

    /// The 200's bytes, as the server sends them; 0 when there was no answer.
    @inline(never)
    public func respond() -> Int {
        guard let response = answer.withLock({ $0 }) else { return 0 }
        let bytes = response.serialized()
        return response.statusCode == 200 ? bytes.count : -bytes.count
    }

    /// One whole refresh: the receive thread's part and the writer's commit.
    public func refresh() throws -> Int {
        let checksum = try receive(nextRefresh())
        commit()
        return checksum &+ respond()
    }

    /// `Digest …` credentials for nonce count `nc`, MD5 with qop=auth.
    func authorization(nc: UInt32) -> String {
        let count = String(nc, radix: 16)
        let ncText = String(repeating: "0", count: 8 - count.utf8.count) + count
        let response = DigestResponse.compute(
            ha1: ha1, algorithm: .md5, method: "REGISTER", uri: Self.requestURI, nonce: nonce,
            qop: (nc: ncText, cnonce: Self.cnonce))
        return "Digest username=\"\(Self.user)\", realm=\"\(Self.realm)\", nonce=\"\(nonce)\", uri=\"\(Self.requestURI)\", "
            + "algorithm=MD5, qop=auth, nc=\(ncText), cnonce=\"\(Self.cnonce)\", response=\"\(response)\""
    }

    /// A REGISTER shaped like scripts/tools/reg_load.c's.
    static func register(cseq: UInt32, authorization: String?) -> [UInt8] {
        var lines = [
            "REGISTER \(requestURI) SIP/2.0",
            "Via: SIP/2.0/UDP 198.51.100.20:5060;branch=z9hG4bK6f2c81-1-\(cseq)",
            "From: <sip:\(user)@\(realm)>;tag=6f2c81R1",
            "To: <sip:\(user)@\(realm)>",
            "Call-ID: \(callID)",
            "CSeq: \(cseq) REGISTER",
            "Contact: <sip:\(user)@198.51.100.20:5060>",
            "Max-Forwards: 70",
            "Expires: 3600",
            "User-Agent: reg_load",
        ]
        if let authorization { lines.append("Authorization: \(authorization)") }
        lines.append("Content-Length: 0")
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }
}
