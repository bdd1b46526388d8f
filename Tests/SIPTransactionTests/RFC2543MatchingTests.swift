import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@Suite("RFC 2543 matching (17.2.3)")
struct RFC2543MatchingTests {
    @Test("17.2.3: a branch-less INVITE retransmission matches by Request-URI, tags, Call-ID, CSeq and top Via")
    func inviteRetransmission() {
        let h = Harness()
        h.receive(Msg.invite(branch: nil))
        let id = h.user.serverTransactions[0]
        #expect(h.layer.respond(id, with: Msg.response(to: Msg.invite(branch: nil), 180)))
        h.receive(Msg.invite(branch: nil))
        #expect(h.user.summary == ["request INVITE"])
        #expect(h.sender.count == 2)
        h.receive(Msg.request("INVITE", branch: nil, cseq: 2))
        h.receive(Msg.request("INVITE", branch: nil, uri: "sip:carol@example.net"))
        #expect(h.user.summary == ["request INVITE", "request INVITE", "request INVITE"])
    }

    @Test("17.2.3: an RFC 2543 ACK matches when its To tag is the one of the response sent")
    func ackByResponseTag() {
        let h = Harness()
        h.receive(Msg.invite(branch: nil))
        let id = h.user.serverTransactions[0]
        h.layer.respond(id, with: Msg.response(to: Msg.invite(branch: nil), 486, toTag: "srv-7"))
        h.receive(Msg.ack(branch: nil, toTag: "other"))
        #expect(h.user.summary == ["request INVITE", "ack nil"])
        #expect(h.layer.state(of: id) == .invite(.completed))
        h.receive(Msg.ack(branch: nil, toTag: "srv-7"))
        #expect(h.layer.state(of: id) == .invite(.confirmed))
        #expect(h.user.summary == ["request INVITE", "ack nil"])
    }

    @Test("17.2.3: an RFC 2543 re-INVITE and its ACK carry the dialog's To tag and match")
    func reInvite() {
        let h = Harness()
        let reinvite = Msg.invite(branch: nil, toTag: "dlg-1")
        h.receive(reinvite)
        let id = h.user.serverTransactions[0]
        h.layer.respond(id, with: Msg.response(to: reinvite, 488, toTag: "dlg-1"))
        h.receive(reinvite)
        #expect(h.sender.count == 2)
        h.receive(Msg.ack(branch: nil, toTag: "dlg-1"))
        #expect(h.layer.state(of: id) == .invite(.confirmed))
    }

    @Test("RFC 4475 3.2.1 / 17.2.3: the bare magic cookie identifies nothing, so RFC 2543 matching applies")
    func bareCookie() {
        let h = Harness()
        h.receive(Msg.invite(branch: "z9hG4bK"))
        h.receive(Msg.invite(branch: "z9hG4bK"))
        h.receive(Msg.request("INVITE", branch: "z9hG4bK", callID: "call-2@192.0.2.10"))
        #expect(h.user.summary == ["request INVITE", "request INVITE"])
    }

    @Test("9.2 with 17.2.3: an RFC 2543 CANCEL finds its INVITE")
    func cancel() {
        let h = Harness()
        h.receive(Msg.invite(branch: nil))
        h.receive(Msg.request("CANCEL", branch: nil))
        guard case .cancel(_, _, let matched)? = h.user.events.last else {
            Issue.record("no CANCEL event")
            return
        }
        #expect(matched == h.user.serverTransactions[0])
    }
}
