import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@testable import CallCore

@Suite("B2BUA: RFC 4028 session timers on the carrier leg")
struct B2BUASessionTimerTests {
    typealias H = B2BUAHarness

    static func harness(supportsUpdate: Bool = true) -> H {
        H(B2BUARequest(candidates: H.carriers([H.carrier1], supportsUpdate: supportsUpdate), sessionTimer: SessionTimerSettings(interval: 1800, minimum: 90)))
    }

    @Test("RFC 4028 7.1: the carrier INVITE offers Session-Expires with refresher=uac, Min-SE and Supported: timer")
    func offered() throws {
        let h = Self.harness()
        h.receive(H.invite(), from: H.pbx)
        let invite = try #require(h.take(to: H.carrier1).first)
        #expect(invite.values(named: "Session-Expires") == ["1800;refresher=uac"])
        #expect(invite.values(named: "Min-SE") == ["90"])
        #expect(try invite.supported().contains("timer"))
    }

    @Test("RFC 4028 10: the carrier refreshes and does not: the session expires and both legs get a BYE")
    func expiryTearsDown() throws {
        let h = Self.harness()
        _ = try h.establish(extra200: [("Session-Expires", "90;refresher=uas"), ("Require", "timer")])
        // Expiry at 90 - min(32, 30) = 60 seconds.
        h.advance(59_000)
        #expect(!h.sender.take().contains { $0.message.method == .bye })
        h.advance(1_000)
        let byes = h.sender.take().filter { $0.message.method == .bye }
        #expect(Set(byes.map(\.target.address)) == [H.pbx, H.carrier1])
        #expect(byes.allSatisfy { $0.message.values(named: "Reason").first?.contains("408") == true })
        #expect(h.b2bua.activeCalls == 0)
    }

    @Test("RFC 4028 10: a refresh from the carrier, relayed and answered, restarts the expiry")
    func refreshFromCarrierKeepsCall() throws {
        let h = Self.harness()
        let (bInvite, _) = try h.establish(extra200: [("Session-Expires", "90;refresher=uas"), ("Require", "timer")])
        h.advance(40_000)
        h.receive(H.bRequest("UPDATE", cseq: 1, invite: bInvite, branch: "z9hG4bKcup1", extra: ["Session-Expires: 90;refresher=uac"]), from: H.carrier1)
        let update = try #require(h.take(to: H.pbx).first)
        h.receive(H.response(to: update, 200, "OK", toTag: "a1"), from: H.pbx)
        let ok = try #require(h.take(to: H.carrier1).first)
        #expect(ok.statusCode == 200)
        #expect(ok.values(named: "Session-Expires") == ["90;refresher=uac"])
        h.advance(59_000)
        #expect(!h.sender.take().contains { $0.message.method == .bye })
        h.advance(1_000)
        #expect(h.sender.take().filter { $0.message.method == .bye }.count == 2)
    }

    @Test("RFC 4028 7.4, 10: as refresher the B2BUA sends UPDATE at half the interval; a failed refresh ends both legs")
    func refreshAndFailure() throws {
        let h = Self.harness()
        _ = try h.establish(extra200: [("Session-Expires", "120;refresher=uac"), ("Require", "timer")])
        h.advance(59_000)
        #expect(h.sender.take().isEmpty)
        h.advance(1_000)
        let first = try #require(h.take(to: H.carrier1).first)
        #expect(first.method == .update)
        #expect(first.values(named: "Session-Expires") == ["120;refresher=uac"])
        h.receive(H.response(to: first, 200, "OK", extra: [("Session-Expires", "120;refresher=uac")]), from: H.carrier1)
        h.advance(60_000)
        let second = try #require(h.take(to: H.carrier1).first)
        #expect(second.method == .update)
        #expect(try second.cseq().sequence > first.cseq().sequence)
        h.receive(H.response(to: second, 481, "Call/Transaction Does Not Exist"), from: H.carrier1)
        let byes = h.sender.take().filter { $0.message.method == .bye }
        #expect(Set(byes.map(\.target.address)) == [H.pbx, H.carrier1])
        #expect(h.b2bua.activeCalls == 0)
    }

    @Test("RFC 4028 7.4: without UPDATE the refresh is a re-INVITE offering the last SDP; its 2xx is ACKed")
    func refreshByReinvite() throws {
        let h = Self.harness(supportsUpdate: false)
        _ = try h.establish(extra200: [("Session-Expires", "90;refresher=uac"), ("Require", "timer")])
        h.advance(45_000)
        let refresh = try #require(h.take(to: H.carrier1).first)
        #expect(refresh.method == .invite)
        #expect(refresh.bodyText == H.offer)
        h.receive(H.response(to: refresh, 200, "OK", body: H.answer), from: H.carrier1)
        let ack = try #require(h.take(to: H.carrier1).first)
        #expect(ack.method == .ack)
        #expect(try ack.cseq().sequence == refresh.cseq().sequence)
    }
}
