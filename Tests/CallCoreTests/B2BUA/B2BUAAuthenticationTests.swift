import Routing
import Registrar
import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@testable import CallCore

@Suite("B2BUA: digest authentication towards carriers (RFC 3261 22.2, RFC 7616)")
struct B2BUAAuthenticationTests {
    typealias H = B2BUAHarness
    static let credentials = CarrierCredentials(username: "trunkuser", password: "s3cret-pass")

    static func harness(credentials: [CarrierCredentials?], failover: FailoverPolicy = FailoverPolicy()) -> H {
        let addresses = [H.carrier1, H.carrier2]
        var targets = H.carriers(Array(addresses.prefix(credentials.count)))
        for index in targets.indices { targets[index].credentials = credentials[index] }
        return H(B2BUARequest(candidates: targets, failover: failover))
    }

    static func proxyChallenge(nonce: String = "n-1", stale: Bool = false) -> [(String, String)] {
        [
            ("Proxy-Authenticate", "Digest realm=\"sip.twilio.com\", nonce=\"\(nonce)\", algorithm=MD5, qop=\"auth\", opaque=\"op\"\(stale ? ", stale=true" : "")"),
            ("Proxy-Authenticate", "Digest realm=\"sip.twilio.com\", nonce=\"\(nonce)\", algorithm=SHA-256, qop=\"auth\", opaque=\"op\"\(stale ? ", stale=true" : "")"),
        ]
    }

    static func wwwChallenge(nonce: String) -> [(String, String)] {
        [("WWW-Authenticate", "Digest realm=\"zt.plivo.com\", nonce=\"\(nonce)\", algorithm=MD5, qop=\"auth\"")]
    }

    /// Checks `value` is the right answer for `request` with the test password.
    static func verify(_ credentials: AuthenticationParameters, of request: SIPMessage, nonce: String, nc: String) throws {
        let algorithm = try #require(DigestAlgorithm(token: credentials.algorithm ?? "MD5"))
        let realm = try #require(credentials.realm)
        let ha1 = HA1.compute(username: "trunkuser", realm: realm, password: "s3cret-pass", algorithm: algorithm)
        let cnonce = try #require(credentials.cnonce)
        let expected = DigestResponse.compute(
            ha1: ha1, algorithm: algorithm, method: "\(request.method)", uri: request.requestURIText, nonce: nonce, qop: (nc, cnonce))
        #expect(credentials.username == "trunkuser")
        #expect(credentials.nonce == nonce)
        #expect(credentials["nc"] == nc)
        #expect(credentials.uri == request.requestURIText)
        #expect(credentials.response == expected)
    }

    @Test("RFC 3261 22.2, RFC 7616 3.4: a 407 to leg B's INVITE is answered once (SHA-256 over MD5), new CSeq and branch; A never sees it; the ACK carries the credentials (13.2.2.4)")
    func proxyChallengeAnswered() throws {
        let h = Self.harness(credentials: [Self.credentials])
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 407, "Proxy Authentication Required", extra: Self.proxyChallenge()), from: H.carrier1)
        let out = h.sender.take()
        #expect(!out.contains { $0.target.address == H.pbx }, "A never sees the carrier's challenge")
        #expect(out.contains { $0.target.address == H.carrier1 && $0.message.method == .ack })
        let second = try #require(out.first { $0.target.address == H.carrier1 && $0.message.method == .invite }?.message)
        #expect(try second.cseq() == CSeq(sequence: 2, method: .invite))
        #expect(try second.callID() == first.callID())
        #expect(try second.from().tag == first.from().tag)
        #expect(try second.topVia().branch != first.topVia().branch)
        #expect(try second.vias().count == 1)
        #expect(second.bodyText == H.offer)
        #expect(!second.text.contains("s3cret-pass"))
        let credentials = try #require(try second.proxyAuthorization().first)
        #expect(credentials.algorithm == "SHA-256")
        #expect(credentials.opaque == "op")
        #expect(credentials.qop == ["auth"])
        try Self.verify(credentials, of: second, nonce: "n-1", nc: "00000001")
        #expect(h.b2bua.statistics.authenticationRetries == 1)

        h.receive(H.response(to: second, 200, "OK", body: H.answer), from: H.carrier1)
        let ok = try #require(h.take(to: H.pbx).first { $0.statusCode == 200 })
        h.receive(H.aRequest("ACK", cseq: 1, toTag: try #require(try ok.to().tag), branch: "z9hG4bKpbxack1"), from: H.pbx)
        let ack = try #require(h.take(to: H.carrier1).first { $0.method == .ack })
        #expect(try ack.cseq().sequence == 2)
        #expect(ack.values(named: "Proxy-Authorization") == second.values(named: "Proxy-Authorization"))
    }

    @Test("RFC 3261 22.3, RFC 7616 3.4: a later BYE reuses the nonce with nc=00000002; a 401 to it is answered with a new nonce, nc=00000001, new CSeq")
    func inDialogRequests() throws {
        let h = Self.harness(credentials: [Self.credentials])
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 401, "Unauthorized", extra: Self.wwwChallenge(nonce: "p-1")), from: H.carrier1)
        let second = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        try Self.verify(try #require(try second.authorization().first), of: second, nonce: "p-1", nc: "00000001")
        h.receive(H.response(to: second, 200, "OK", body: H.answer), from: H.carrier1)
        let ok = try #require(h.take(to: H.pbx).first { $0.statusCode == 200 })
        let tag = try #require(try ok.to().tag)
        h.receive(H.aRequest("ACK", cseq: 1, toTag: tag, branch: "z9hG4bKpbxack1"), from: H.pbx)
        _ = h.sender.take()

        h.receive(H.aRequest("BYE", cseq: 2, toTag: tag, branch: "z9hG4bKpbxbye1"), from: H.pbx)
        let bye = try #require(h.take(to: H.carrier1).first { $0.method == .bye })
        #expect(try bye.cseq() == CSeq(sequence: 3, method: .bye))
        try Self.verify(try #require(try bye.authorization().first), of: bye, nonce: "p-1", nc: "00000002")

        h.receive(H.response(to: bye, 401, "Unauthorized", extra: Self.wwwChallenge(nonce: "p-2")), from: H.carrier1)
        let again = try #require(h.take(to: H.carrier1).first { $0.method == .bye })
        #expect(try again.cseq() == CSeq(sequence: 4, method: .bye))
        #expect(try again.topVia().branch != bye.topVia().branch)
        #expect(try again.authorization().count == 1)
        try Self.verify(try #require(try again.authorization().first), of: again, nonce: "p-2", nc: "00000001")
        h.receive(H.response(to: again, 200, "OK"), from: H.carrier1)
        #expect(h.sender.take().isEmpty)
        #expect(h.b2bua.challengeable.isEmpty)
    }

    @Test("RFC 3261 22.2: a relayed re-INVITE challenged by the carrier is sent again with credentials; A gets the carrier's 200")
    func reinviteChallenged() throws {
        let h = Self.harness(credentials: [Self.credentials])
        let (_, aOK) = try h.establish()
        let tag = try #require(try aOK.to().tag)
        h.receive(H.aRequest("INVITE", cseq: 2, toTag: tag, branch: "z9hG4bKpbxre1", body: H.offer), from: H.pbx)
        let reinvite = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: reinvite, 407, "Proxy Authentication Required", extra: Self.proxyChallenge(nonce: "r-1")), from: H.carrier1)
        let out = h.sender.take()
        #expect(!out.contains { $0.target.address == H.pbx && $0.message.statusCode == 407 })
        let again = try #require(out.first { $0.target.address == H.carrier1 && $0.message.method == .invite }?.message)
        #expect(try again.cseq().sequence == reinvite.cseq().sequence + 1)
        try Self.verify(try #require(try again.proxyAuthorization().first), of: again, nonce: "r-1", nc: "00000001")
        h.receive(H.response(to: again, 200, "OK", body: H.answer), from: H.carrier1)
        #expect(h.take(to: H.pbx).map(\.statusCode) == [200])
    }

    @Test("RFC 3261 22.2: a second challenge after credentials means the carrier refused: the next carrier is tried")
    func refusedFailsOver() throws {
        let h = Self.harness(credentials: [Self.credentials, nil])
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 407, "Proxy Authentication Required", extra: Self.proxyChallenge()), from: H.carrier1)
        let second = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: second, 407, "Proxy Authentication Required", extra: Self.proxyChallenge(nonce: "n-2")), from: H.carrier1)
        let out = h.sender.take()
        #expect(out.filter { $0.target.address == H.carrier1 }.map(\.message.method) == [.ack])
        #expect(out.contains { $0.target.address == H.carrier2 && $0.message.method == .invite })
        #expect(!out.contains { $0.target.address == H.pbx })
        #expect(h.b2bua.statistics.authenticationFailures == 1)
        #expect(h.b2bua.statistics.failovers == 1)
    }

    @Test("RFC 3261 22.2: credentials refused and no failover: A gets 403, never the challenge")
    func refusedWithoutFailover() throws {
        let h = Self.harness(credentials: [Self.credentials, nil], failover: FailoverPolicy(authenticationFailures: false))
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 401, "Unauthorized", extra: Self.wwwChallenge(nonce: "x")), from: H.carrier1)
        let second = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: second, 401, "Unauthorized", extra: Self.wwwChallenge(nonce: "y")), from: H.carrier1)
        let out = h.sender.take()
        #expect(!out.contains { $0.target.address == H.carrier2 })
        let final = try #require(out.first { $0.target.address == H.pbx }?.message)
        #expect(final.statusCode == 403)
        #expect(final.firstField(.wwwAuthenticate) == nil)
        #expect(h.b2bua.activeCalls == 0)
    }

    @Test("RFC 7616 3.3: stale=true gets one more try with the new nonce; a further challenge is a refusal")
    func staleNonce() throws {
        let h = Self.harness(credentials: [Self.credentials])
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 407, "Proxy Authentication Required", extra: Self.proxyChallenge()), from: H.carrier1)
        let second = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: second, 407, "Proxy Authentication Required", extra: Self.proxyChallenge(nonce: "n-2", stale: true)), from: H.carrier1)
        let third = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        #expect(try third.cseq().sequence == 3)
        #expect(try third.proxyAuthorization().count == 1)
        try Self.verify(try #require(try third.proxyAuthorization().first), of: third, nonce: "n-2", nc: "00000001")
        h.receive(H.response(to: third, 407, "Proxy Authentication Required", extra: Self.proxyChallenge(nonce: "n-3", stale: true)), from: H.carrier1)
        let out = h.sender.take()
        #expect(!out.contains { $0.target.address == H.carrier1 && $0.message.method == .invite })
        #expect(out.filter { $0.target.address == H.pbx }.map(\.message.statusCode) == [403])
    }

    @Test("Topology hiding: a challenge from a carrier without credentials fails over; from the last one A gets 500, not the 401")
    func noCredentials() throws {
        let h = Self.harness(credentials: [nil, nil])
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 401, "Unauthorized", extra: Self.wwwChallenge(nonce: "a")), from: H.carrier1)
        let second = try #require(h.take(to: H.carrier2).first { $0.method == .invite })
        h.receive(H.response(to: second, 401, "Unauthorized", extra: Self.wwwChallenge(nonce: "b")), from: H.carrier2)
        let finals = h.take(to: H.pbx)
        #expect(finals.map(\.statusCode) == [500])
        #expect(finals.allSatisfy { $0.firstField(.wwwAuthenticate) == nil })
    }

    @Test("RFC 3261 9.1: the CANCEL of an authenticated INVITE has that INVITE's branch and CSeq number")
    func cancelAuthenticatedInvite() throws {
        let h = Self.harness(credentials: [Self.credentials])
        let invite = H.invite()
        h.receive(invite, from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 407, "Proxy Authentication Required", extra: Self.proxyChallenge()), from: H.carrier1)
        let second = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: second, 180, "Ringing"), from: H.carrier1)
        _ = h.sender.take()
        var cancel = try invite.makeCancel()
        cancel.setHeader("Max-Forwards", value: "70")
        h.receive(cancel, from: H.pbx)
        let bCancel = try #require(h.take(to: H.carrier1).first { $0.method == .cancel })
        #expect(try bCancel.topVia().branch == second.topVia().branch)
        #expect(try bCancel.cseq() == CSeq(sequence: 2, method: .cancel))
        h.receive(H.response(to: second, 487, "Request Terminated"), from: H.carrier1)
        #expect(h.take(to: H.pbx).filter { $0.method == .invite }.map(\.statusCode) == [487])
    }
}
