import Registrar
import SIPCore
import SIPTransport
import Testing

@testable import CallCore

@Suite("RFC 3261 22.3 and 16.5: authenticating and routing calls to registered users")
struct AuthenticationInterceptorTests {
    /// Bob's phone behind a NAT: its REGISTER comes from here, its Contact names 10.0.0.5.
    static let bobFlow = SocketAddress(ip: "198.51.100.8", port: 40_001)!
    /// Alice, calling from an untrusted address.
    static let alice = SocketAddress(ip: "203.0.113.50", port: 5060)!
    /// A PBX on a trusted network.
    static let pbx = SocketAddress(ip: "192.0.2.10", port: 5060)!
    static let bob = "sip:bob@\(RegistrarHarness.realm)"

    static func harness() throws -> RegistrarHarness {
        try RegistrarHarness(settings: RegistrarHarness.settings(trusted: ["192.0.2.0/24"]))
    }

    /// Sends an INVITE from alice, answers the 407 with alice's credentials; returns what the proxy sent then.
    static func authenticatedInvite(
        _ h: RegistrarHarness, to uri: String = bob, from user: String = "alice", credentialsOf credentialUser: String = "alice",
        callID: String = "call-1"
    ) throws -> [(message: SIPMessage, target: OutboundTarget)] {
        try authenticated(h, to: uri, from: user, credentialsOf: credentialUser, callID: callID).sent
    }

    static func authenticated(
        _ h: RegistrarHarness, to uri: String = bob, from user: String = "alice", credentialsOf credentialUser: String = "alice",
        callID: String = "call-1"
    ) throws -> (request: SIPMessage, sent: [(message: SIPMessage, target: OutboundTarget)]) {
        let first = h.exchange(try h.invite(uri, from: user, callID: callID), from: alice)
        let challenged = try #require(RegistrarHarness.final(first))
        #expect(challenged.statusCode == 407)
        let challenge = try #require(RegistrarHarness.challenges(challenged).first)
        let credentials = RegistrarHarness.credentials(user: credentialUser, challenge: challenge, method: "INVITE", uri: uri)
        let request = try h.invite(uri, from: user, callID: callID, extra: ["Proxy-Authorization: \(credentials)"])
        return (request, h.exchange(request, from: alice))
    }

    @Test("RFC 3261 22.3: an INVITE from an untrusted source is 407 with Proxy-Authenticate, one per algorithm; nothing is forwarded")
    func untrustedIsChallenged() throws {
        let h = try Self.harness()
        try h.registered("bob", from: Self.bobFlow)
        let sent = h.exchange(try h.invite(Self.bob), from: Self.alice)
        #expect(!sent.contains { $0.message.isRequest })
        let response = try #require(RegistrarHarness.final(sent))
        #expect(response.statusCode == 407)
        #expect(RegistrarHarness.challenges(response).map { RegistrarHarness.parameter("algorithm", in: $0) } == ["SHA-256", "MD5"])
        #expect(response.fields(named: "WWW-Authenticate").isEmpty)
    }

    @Test("RFC 3261 16.5, RFC 5626 5.3: an authenticated INVITE goes over the REGISTER's source flow (NAT), not to the Contact host")
    func authenticatedGoesToFlow() throws {
        let h = try Self.harness()
        try h.registered("bob", from: Self.bobFlow)
        let sent = try Self.authenticatedInvite(h)
        let forwarded = try #require(sent.first { $0.message.isRequest })
        #expect(forwarded.message.method == .invite)
        #expect(forwarded.message.requestURIText == "sip:bob@10.0.0.5:5060")
        #expect(forwarded.target.address == Self.bobFlow)
        #expect(forwarded.target.transport == .udp)
        #expect(try forwarded.message.routes().isEmpty)
        #expect(sent.contains { $0.message.statusCode == 100 })
    }

    @Test("RFC 3327 5.3: a contact registered with Path is reached through the Path, as Route headers")
    func pathBecomesRoute() throws {
        let h = try Self.harness()
        let ok = try h.registered(
            "bob", from: Self.bobFlow, extra: ["Supported: path", "Path: <sip:127.0.0.1:5099;lr>, <sip:edge2.example.net;lr>"])
        #expect(ok.values(named: "Path") == ["<sip:127.0.0.1:5099;lr>", "<sip:edge2.example.net;lr>"])
        let sent = try Self.authenticatedInvite(h)
        let forwarded = try #require(sent.first { $0.message.isRequest })
        #expect(forwarded.message.requestURIText == "sip:bob@10.0.0.5:5060")
        #expect(try forwarded.message.routes().map(\.uri.description) == ["sip:127.0.0.1:5099;lr", "sip:edge2.example.net;lr"])
        #expect(forwarded.target.address == SocketAddress(ip: "127.0.0.1", port: 5099)!)
    }

    @Test("RFC 3261 22.3: From naming one of our users must be the user who authenticated, else 403")
    func fromMustMatchCredentials() throws {
        let h = try Self.harness()
        try h.registered("bob", from: Self.bobFlow)
        let sent = try Self.authenticatedInvite(h, from: "bob", credentialsOf: "alice")
        #expect(!sent.contains { $0.message.isRequest })
        #expect(RegistrarHarness.final(sent)?.statusCode == 403)
    }

    @Test("RFC 3261 22.3: a request from a trusted source is routed without a challenge")
    func trustedSource() throws {
        let h = try Self.harness()
        try h.registered("bob", from: Self.bobFlow)
        let sent = h.exchange(try h.invite(Self.bob), from: Self.pbx)
        #expect(!sent.contains { $0.message.statusCode == 407 })
        let forwarded = try #require(sent.first { $0.message.isRequest })
        #expect(forwarded.target.address == Self.bobFlow)
    }

    @Test("RFC 3261 22.1: ACK, CANCEL and in-dialog requests are never challenged")
    func neverChallenged() throws {
        let h = try Self.harness()
        try h.registered("bob", from: Self.bobFlow)
        // CANCEL of an authenticated INVITE, itself without credentials: 200, and cancelled downstream.
        let (invite, sent) = try Self.authenticated(h)
        let forwarded = try #require(sent.first { $0.message.isRequest && $0.message.method == .invite })
        // A branch is cancelled once it has answered provisionally (RFC 3261 9.1).
        _ = h.exchange(forwarded.message.makeResponse(status: 180, reason: "Ringing", toTag: "b1"), from: Self.bobFlow)
        var cancel = try invite.makeCancel()
        cancel.setHeader("Max-Forwards", value: "70")
        let afterCancel = h.exchange(cancel, from: Self.alice)
        #expect(!afterCancel.contains { $0.message.statusCode == 407 })
        #expect(afterCancel.contains { !$0.message.isRequest && $0.message.method == .cancel && $0.message.statusCode == 200 })
        #expect(afterCancel.contains { $0.message.isRequest && $0.message.method == .cancel && $0.target.address == Self.bobFlow })

        // In-dialog BYE (To has a tag) and a 2xx ACK, without credentials, from the untrusted source: forwarded.
        for method in ["BYE", "ACK"] {
            let text = try h.invite("sip:bob@10.0.0.5:5060", callID: "call-2", toTag: "b1").text
                .replacingOccurrences(of: "INVITE sip:", with: "\(method) sip:")
                .replacingOccurrences(of: "1 INVITE", with: "2 \(method)")
            let sent = h.exchange(try SIPMessage(text), from: Self.alice)
            #expect(!sent.contains { $0.message.statusCode == 407 }, "\(method)")
            #expect(sent.contains { $0.message.isRequest && $0.message.method.description == method }, "\(method)")
        }
    }

    @Test("RFC 3261 10.3 and 16.5: an INVITE for an AOR of our domain without bindings is 480")
    func noBindings() throws {
        let h = try Self.harness()
        let sent = h.exchange(try h.invite("sip:carol@\(RegistrarHarness.realm)"), from: Self.pbx)
        #expect(!sent.contains { $0.message.isRequest })
        #expect(RegistrarHarness.final(sent)?.statusCode == 480)
    }

    @Test("RFC 3261 16.5: a user at our own address without bindings follows the static routes")
    func ownAddressFallsBack() throws {
        let h = try Self.harness()
        let sent = h.exchange(try h.invite("sip:dave@127.0.0.1:5070"), from: Self.pbx)
        let forwarded = try #require(sent.first { $0.message.isRequest })
        #expect(forwarded.target.address == RegistrarHarness.staticRoute)
    }
}
