import Foundation
import Registrar
import SIPCore
import SIPTransport
import Testing

@testable import CallCore

@Suite("RFC 3261 22.4: users held in memory, kept current from the store")
struct RegistrarUserTableTests {
    static let phone = SocketAddress(ip: "198.51.100.9", port: 40_000)!

    @Test("RFC 3261 22.4: a user that `switchboard user add` stores while running registers once the registrar has refreshed")
    func addedWhileRunning() throws {
        let h = try RegistrarHarness()
        #expect(h.service.userCount == 2)
        // The command line opens its own store on the same file.
        let command = try SQLiteRegistrarStore(directory: h.directory.path)
        try command.putUser(
            UserRecord(
                username: "carol", realm: RegistrarHarness.realm,
                ha1: HA1.all(username: "carol", realm: RegistrarHarness.realm, password: "carol-secret")))
        h.service.refreshUsers()
        #expect(h.service.userCount == 3)
        let ok = try h.registered("carol", password: "carol-secret", from: Self.phone)
        #expect(ok.statusCode == 200)
    }

    @Test("RFC 3261 22.4: a user that `switchboard user remove` deletes while running is refused (403) once the registrar has refreshed")
    func removedWhileRunning() throws {
        let h = try RegistrarHarness()
        #expect(try h.registered("alice", from: Self.phone).statusCode == 200)
        let command = try SQLiteRegistrarStore(directory: h.directory.path)
        #expect(try command.removeUser(username: "alice", realm: RegistrarHarness.realm))
        h.service.refreshUsers()
        #expect(h.service.userCount == 1)
        #expect(try h.registered("alice", from: Self.phone).statusCode == 403)
    }

    @Test("RFC 3261 22.3: checking credentials reads no store: an INVITE authenticates with the store closed")
    func noStoreReadPerRequest() throws {
        let h = try RegistrarHarness()
        try h.registered("bob", from: SocketAddress(ip: "203.0.113.7", port: 5062)!)
        try h.store.close()
        let invite = try h.invite("sip:bob@\(RegistrarHarness.realm)")
        let challenge = try #require(
            RegistrarHarness.final(h.exchange(invite, from: Self.phone)).map(RegistrarHarness.challenges)?.first)
        let credentials = RegistrarHarness.credentials(
            user: "alice", challenge: challenge, method: "INVITE", uri: "sip:bob@\(RegistrarHarness.realm)")
        let sent = h.exchange(
            try h.invite("sip:bob@\(RegistrarHarness.realm)", callID: "call-2", extra: ["Proxy-Authorization: \(credentials)"]),
            from: Self.phone)
        #expect(sent.contains { $0.message.isRequest && $0.message.method == .invite })
    }
}
