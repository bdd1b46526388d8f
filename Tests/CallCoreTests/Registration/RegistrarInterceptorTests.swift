import Foundation
import Registrar
import SIPCore
import SIPTransport
import Testing

@testable import CallCore

@Suite("RFC 3261 10.3: REGISTER through the proxy core to the registrar")
struct RegistrarInterceptorTests {
    static let phone = SocketAddress(ip: "198.51.100.7", port: 40_000)!

    @Test("RFC 7616 3.3, RFC 8760 2.4: REGISTER without credentials is 401 with one challenge per configured algorithm, in order, one nonce")
    func challengeOrder() throws {
        let h = try RegistrarHarness(settings: RegistrarHarness.settings(algorithms: [.sha256, .sha512_256, .md5]))
        let response = try #require(RegistrarHarness.final(h.exchange(try h.register("alice"), from: Self.phone)))
        #expect(response.statusCode == 401)
        let challenges = RegistrarHarness.challenges(response)
        #expect(challenges.map { RegistrarHarness.parameter("algorithm", in: $0) } == ["SHA-256", "SHA-512-256", "MD5"])
        #expect(challenges.allSatisfy { RegistrarHarness.parameter("realm", in: $0) == RegistrarHarness.realm })
        #expect(challenges.allSatisfy { $0.contains("qop=\"auth\"") && !$0.contains("stale") })
        #expect(Set(challenges.map { RegistrarHarness.parameter("nonce", in: $0) }).count == 1)
        #expect(h.service.bindings().bindings.isEmpty)
    }

    @Test("RFC 3261 10.3 step 8: correct MD5 and SHA-256 credentials give 200 listing the contact with expires, sent once the binding is stored")
    func registerWithCredentials() throws {
        let h = try RegistrarHarness()
        for (user, algorithm) in [("alice", "MD5"), ("bob", "SHA-256")] {
            let first = try h.register(user, cseq: 1)
            let challenges = RegistrarHarness.challenges(try #require(RegistrarHarness.final(h.exchange(first, from: Self.phone))))
            let challenge = try #require(challenges.first { RegistrarHarness.parameter("algorithm", in: $0) == algorithm })
            let authorization = RegistrarHarness.credentials(
                user: user, challenge: challenge, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
            let before = h.storedAtReply.withLock { $0.count }
            let ok = try #require(
                RegistrarHarness.final(h.exchange(try h.register(user, cseq: 2, extra: ["Authorization: \(authorization)"]), from: Self.phone)))
            #expect(ok.statusCode == 200)
            #expect(ok.values(named: "Contact") == ["<sip:\(user)@10.0.0.5:5060>;expires=600"])
            #expect(ok.values(named: "Flow-Timer").isEmpty, "no outbound, no Flow-Timer")
            // The 200 went to the shard only once the store held the binding (one for alice, two with bob's).
            let stored = h.storedAtReply.withLock { Array($0[before...]) }
            #expect(stored == [user == "alice" ? 1 : 2])
            #expect(h.service.bindings(aor: "sip:\(user)@\(RegistrarHarness.realm)").bindings.count == 1)
        }
        #expect(h.service.writer.commitCount >= 2)
    }

    @Test("RFC 3261 10.3 step 7: REGISTERs handed to the registrar's queue together are handled, and answered, in the order received")
    func registrarQueueAnswersLater() throws {
        let h = try RegistrarHarness()
        let sent = h.exchange(try h.register("alice"), from: Self.phone)
        let first = try #require(RegistrarHarness.final(sent))
        let challenge = try #require(RegistrarHarness.challenges(first).first)
        // Received one after another with no flush between: the queue takes them in one or more
        // turns. Out of order, a later CSeq applied first would make the earlier ones 500s
        // (step 7), and a lower nonce count after a higher one a stale challenge.
        var cseqs: [Int] = []
        for cseq in 2...6 {
            let credentials = RegistrarHarness.credentials(
                user: "alice", challenge: challenge, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)", nc: String(format: "%08x", cseq))
            let refresh = try h.register("alice", cseq: cseq, extra: ["Authorization: \(credentials)"])
            h.layer.receive(InboundMessage(message: refresh, source: Self.phone, local: RegistrarHarness.local, transport: .udp, connection: nil))
            cseqs.append(cseq)
        }
        h.service.flush()
        let answers = h.sender.take().map(\.message).filter { !$0.isRequest && $0.statusCode >= 200 }
        #expect(answers.map { (try? $0.cseq().sequence).map(Int.init) } == cseqs.map { Optional($0) })
        #expect(answers.allSatisfy { $0.statusCode == 200 })
    }

    @Test("RFC 3261 8.2.7, 26.1.5: a REGISTER without credentials is challenged by the shard that received it, statelessly, with nothing handed to the registrar's queue")
    func challengeOnShard() throws {
        let h = try RegistrarHarness()
        h.wall.advance(0.01)
        h.layer.receive(
            InboundMessage(message: try h.register("alice"), source: Self.phone, local: RegistrarHarness.local, transport: .udp, connection: nil))
        // No flush: the 401 was sent before `receive` returned.
        let response = try #require(RegistrarHarness.final(h.sender.take()))
        #expect(response.statusCode == 401)
        #expect(h.layer.statistics.statelessResponses == 1)
        #expect(h.service.inbox?.postedCount == 0)
        // The REGISTER with credentials goes to the registrar's queue.
        let challenge = try #require(RegistrarHarness.challenges(response).first)
        let credentials = RegistrarHarness.credentials(user: "alice", challenge: challenge, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
        let ok = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice", cseq: 2, extra: ["Authorization: \(credentials)"]), from: Self.phone)))
        #expect(ok.statusCode == 200)
        #expect(h.service.inbox?.postedCount == 1)
    }

    @Test("RFC 3261 10.3 step 8: without a queue of its own the registrar handles a REGISTER on the receiving shard, with the same answers")
    func registrarOnShard() throws {
        let h = try RegistrarHarness(ownQueue: false)
        #expect(try h.registered("bob", from: Self.phone).statusCode == 200)
        #expect(h.service.bindings(aor: "sip:bob@\(RegistrarHarness.realm)").bindings.count == 1)
        #expect(h.service.inbox == nil)
    }

    @Test("RFC 3261 10.3 step 3: alice's credentials for bob's AOR are 403 and bind nothing")
    func credentialsForAnotherAOR() throws {
        let h = try RegistrarHarness()
        let challenge = try #require(
            RegistrarHarness.final(h.exchange(try h.register("bob"), from: Self.phone)).map(RegistrarHarness.challenges)?.first)
        let alice = RegistrarHarness.credentials(user: "alice", challenge: challenge, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
        let response = try #require(
            RegistrarHarness.final(h.exchange(try h.register("bob", cseq: 2, extra: ["Authorization: \(alice)"]), from: Self.phone)))
        #expect(response.statusCode == 403)
        #expect(h.service.bindings().bindings.isEmpty)
    }

    @Test("RFC 3261 22.4: a wrong password is 403")
    func wrongPassword() throws {
        let h = try RegistrarHarness()
        let response = try h.registered("alice", password: "guess", from: Self.phone)
        #expect(response.statusCode == 403)
    }

    @Test("RFC 8760 2.4: a User-Agent listed as MD5-only is offered the MD5 challenge alone")
    func md5OnlyUserAgent() throws {
        let h = try RegistrarHarness(settings: RegistrarHarness.settings(md5OnlyUserAgents: ["Baresip"]))
        let response = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice", extra: ["User-Agent: baresip v2.0.0 (x86_64/linux)"]), from: Self.phone)))
        #expect(response.statusCode == 401)
        #expect(RegistrarHarness.challenges(response).map { RegistrarHarness.parameter("algorithm", in: $0) } == ["MD5"])
        let other = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice", extra: ["User-Agent: Linphone/5.2"]), from: Self.phone)))
        #expect(RegistrarHarness.challenges(other).count == 2)
        // Matched anywhere in the value, in any case.
        let upper = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice", extra: ["User-Agent: Desk phone (BARESIP)"]), from: Self.phone)))
        #expect(RegistrarHarness.challenges(upper).map { RegistrarHarness.parameter("algorithm", in: $0) } == ["MD5"])
    }

    @Test("RFC 7616 3.3: right credentials with an expired nonce are 401 with stale=true; the fresh nonce then registers")
    func staleNonce() throws {
        let h = try RegistrarHarness()
        let challenge = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice"), from: Self.phone)).map(RegistrarHarness.challenges)?.first)
        h.wall.advance(301)
        let late = RegistrarHarness.credentials(user: "alice", challenge: challenge, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
        let response = try #require(
            RegistrarHarness.final(h.exchange(try h.register("alice", cseq: 2, extra: ["Authorization: \(late)"]), from: Self.phone)))
        #expect(response.statusCode == 401)
        let renewed = RegistrarHarness.challenges(response)
        #expect(!renewed.isEmpty && renewed.allSatisfy { RegistrarHarness.parameter("stale", in: $0) == "true" })
        #expect(h.service.bindings().bindings.isEmpty)
        let fresh = RegistrarHarness.credentials(user: "alice", challenge: renewed[0], method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
        let ok = RegistrarHarness.final(h.exchange(try h.register("alice", cseq: 3, extra: ["Authorization: \(fresh)"]), from: Self.phone))
        #expect(ok?.statusCode == 200)
    }

    @Test("RFC 5626 5.4 and 4.4.1: an outbound registration's 200 has Require: outbound and Flow-Timer (default 120, configurable)")
    func flowTimer() throws {
        let outbound = (
            extra: ["Supported: outbound, path"],
            contact: ";+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-000A95A0E128>\";reg-id=1"
        )
        let h = try RegistrarHarness()
        let ok = try h.registered("alice", from: Self.phone, extra: outbound.extra, contactParameters: outbound.contact)
        #expect(ok.statusCode == 200)
        #expect(ok.values(named: "Require") == ["outbound"])
        #expect(ok.values(named: "Flow-Timer") == ["120"])

        var settings = RegistrarHarness.settings()
        settings.flowTimer = 25
        h.service.apply(settings)
        let refreshed = try h.registered("bob", from: Self.phone, extra: outbound.extra, contactParameters: outbound.contact)
        #expect(refreshed.values(named: "Flow-Timer") == ["25"])

        // Without reg-id (or without Supported: outbound) there is no flow to keep alive.
        let plain = try h.registered("alice", from: Self.phone, contactHost: "10.0.0.6:5060", extra: ["Supported: path"])
        #expect(plain.statusCode == 200)
        #expect(plain.values(named: "Flow-Timer").isEmpty)
        #expect(plain.values(named: "Require").isEmpty)
    }

    @Test("RFC 3261 10.3: a binding survives a new RegistrarService over the same store (restart) and is still routed to")
    func survivesRestart() throws {
        let directory = TemporaryDirectory()
        let wall = TestWallClock()
        do {
            let first = try RegistrarHarness(directory: directory, wall: wall)
            #expect(try first.registered("bob", from: Self.phone).statusCode == 200)
        }
        wall.advance(60)
        let second = try RegistrarHarness(settings: RegistrarHarness.settings(trusted: ["203.0.113.0/24"]), directory: directory, wall: wall)
        let bindings = second.service.bindings(aor: "sip:bob@\(RegistrarHarness.realm)").bindings
        #expect(bindings.map(\.contactURI.description) == ["sip:bob@10.0.0.5:5060"])
        let sent = second.exchange(try second.invite("sip:bob@\(RegistrarHarness.realm)"), from: SocketAddress(ip: "203.0.113.50", port: 5060)!)
        let forwarded = try #require(sent.first { $0.message.isRequest })
        #expect(forwarded.target.address == Self.phone)
        #expect(forwarded.message.requestURIText == "sip:bob@10.0.0.5:5060")
    }
}
