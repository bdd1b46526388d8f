import Foundation
import Registrar
import SIPCore
import SIPTransport
import Testing

@testable import CallCore

@Suite("RFC 3261 22.4, RFC 7616: configured users, counters and replays at the registrar")
struct RegistrarConfiguredUserTests {
    static let phone = SocketAddress(ip: "198.51.100.8", port: 40_000)!

    /// Alice as the configuration defines her, with another password than the store's.
    static func configured(password: String) -> UserRecord {
        UserRecord(
            username: "alice", realm: RegistrarHarness.realm,
            ha1: HA1.all(username: "alice", realm: RegistrarHarness.realm, password: password),
            note: UserRecord.configurationNote)
    }

    static func settings(users: [UserRecord]) -> RegistrarService.Settings {
        var s = RegistrarHarness.settings()
        s.configuredUsers = Dictionary(uniqueKeysWithValues: users.map { ($0.username, $0) })
        return s
    }

    /// Challenge, then credentials with `password`; the final response.
    static func attempt(_ h: RegistrarHarness, password: String, cseq: Int = 1) throws -> SIPMessage? {
        let challenge = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice", cseq: cseq), from: phone)).map(RegistrarHarness.challenges)?.first)
        let credentials = RegistrarHarness.credentials(
            user: "alice", password: password, challenge: challenge, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
        return RegistrarHarness.final(
            h.exchange(try h.register("alice", cseq: cseq + 1, extra: ["Authorization: \(credentials)"]), from: phone))
    }

    @Test("RFC 3261 22.4: a configured user wins over the stored user of the same name")
    func configuredWins() throws {
        let h = try RegistrarHarness(settings: Self.settings(users: [Self.configured(password: "from-config")]))
        #expect(try Self.attempt(h, password: "alice-secret")?.statusCode == 403)
        #expect(try Self.attempt(h, password: "from-config", cseq: 3)?.statusCode == 200)
    }

    @Test("configured users are written to the store with their note, and removed when a reload drops them")
    func storedAndRemoved() throws {
        let h = try RegistrarHarness(settings: Self.settings(users: [Self.configured(password: "from-config")]))
        let stored = try #require(try h.store.user(username: "alice", realm: RegistrarHarness.realm))
        #expect(stored.note == UserRecord.configurationNote)
        #expect(stored.ha1 == Self.configured(password: "from-config").ha1)
        h.service.apply(Self.settings(users: []))
        #expect(try h.store.user(username: "alice", realm: RegistrarHarness.realm) == nil)
        #expect(try h.store.user(username: "bob", realm: RegistrarHarness.realm) != nil)
        // The store's users are what is left: a configured password no longer works.
        #expect(try Self.attempt(h, password: "from-config")?.statusCode == 403)
    }

    @Test("RFC 3261 22.4: challenges, wrong passwords and registrations are counted")
    func counted() throws {
        let h = try RegistrarHarness()
        #expect(try Self.attempt(h, password: "guess")?.statusCode == 403)
        #expect(try Self.attempt(h, password: "alice-secret", cseq: 3)?.statusCode == 200)
        let c = h.service.counters
        #expect(c.challenged == 2)
        #expect(c.authFailed == 1)
        #expect(c.registered == 1)
        #expect(c.stale == 0)
        #expect(h.service.bindingCount == 1)
    }

    @Test("RFC 7616 3.4, 3.3: the same nonce count twice is answered 401 stale=true, and counted stale")
    func replayedCountIsStale() throws {
        let h = try RegistrarHarness()
        let challenge = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice"), from: Self.phone)).map(RegistrarHarness.challenges)?.first)
        let credentials = RegistrarHarness.credentials(
            user: "alice", challenge: challenge, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
        let first = RegistrarHarness.final(h.exchange(try h.register("alice", cseq: 2, extra: ["Authorization: \(credentials)"]), from: Self.phone))
        #expect(first?.statusCode == 200)
        let replay = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice", cseq: 3, extra: ["Authorization: \(credentials)"]), from: Self.phone)))
        #expect(replay.statusCode == 401)
        let challenges = RegistrarHarness.challenges(replay)
        #expect(!challenges.isEmpty && challenges.allSatisfy { $0.contains("stale=true") })
        #expect(RegistrarHarness.parameter("nonce", in: challenges[0]) != RegistrarHarness.parameter("nonce", in: challenge))
        #expect(h.service.counters.stale == 1)
    }

    @Test("RFC 7616 3.3: a nonce Switchboard did not issue gets a fresh challenge without stale")
    func forgedNonce() throws {
        let h = try RegistrarHarness()
        let challenge = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice"), from: Self.phone)).map(RegistrarHarness.challenges)?.first)
        let nonce = try #require(RegistrarHarness.parameter("nonce", in: challenge))
        var bytes = Array(nonce)
        bytes[bytes.count - 3] = bytes[bytes.count - 3] == "A" ? "B" : "A"
        let forged = challenge.replacingOccurrences(of: nonce, with: String(bytes))
        let credentials = RegistrarHarness.credentials(
            user: "alice", challenge: forged, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
        let response = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice", cseq: 2, extra: ["Authorization: \(credentials)"]), from: Self.phone)))
        #expect(response.statusCode == 401)
        let fresh = RegistrarHarness.challenges(response)
        #expect(!fresh.isEmpty && fresh.allSatisfy { !$0.contains("stale=true") })
        #expect(h.service.bindings().bindings.isEmpty)
    }
}
