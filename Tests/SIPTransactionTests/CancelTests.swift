import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@Suite("CANCEL (9.1, 9.2)")
struct CancelTests {
    @Test("9.2: a CANCEL creates its own server transaction and names the INVITE's")
    func serverMatch() {
        let h = Harness()
        h.receive(Msg.invite())
        let invite = h.user.serverTransactions[0]
        h.receive(Msg.request("CANCEL"))
        guard case .cancel(_, let cancel, let matched)? = h.user.events.last else {
            Issue.record("no CANCEL event: \(h.user.summary)")
            return
        }
        #expect(matched == invite)
        #expect(cancel != invite)
        #expect(h.layer.state(of: cancel) == .nonInvite(.trying))
        #expect(h.layer.respond(cancel, with: Msg.response(to: Msg.request("CANCEL"), 200)))
        #expect(h.layer.respond(invite, with: Msg.response(to: Msg.invite(), 487)))
        #expect(h.sender.sent.map { "\($0.message.statusCode) \($0.message.method)" } == ["200 CANCEL", "487 INVITE"])
        #expect(h.layer.statistics.activeServerInvite == 1 && h.layer.statistics.activeServerNonInvite == 1)
    }

    @Test("9.2: a CANCEL that matches no INVITE names none (the TU answers 481); its retransmission is absorbed")
    func serverNoMatch() {
        let h = Harness()
        h.receive(Msg.invite(branch: "z9hG4bK-other"))
        h.receive(Msg.request("CANCEL"))
        h.receive(Msg.request("CANCEL"))
        #expect(h.user.summary == ["request INVITE", "cancel nil"])
    }

    @Test("9.1: the CANCEL of a client INVITE: same Request-URI, Call-ID, To, From, CSeq number, one Via, Routes; same target")
    func clientContents() throws {
        let h = Harness()
        let invite = ClientInviteTransactionTests.invite
        let id = try h.layer.sendRequest(invite, to: Peer.bobUDP)
        h.receive(Msg.response(to: invite, 180))
        let cancelID = try #require(h.layer.cancel(id, extraHeaders: [("Reason", "SIP;cause=487;text=\"Request Terminated\"")]))
        #expect(h.layer.state(of: cancelID) == .nonInvite(.trying))
        let sent = try #require(h.sender.last)
        #expect(sent.target == Peer.bobUDP)
        let cancel = sent.message
        #expect(cancel.startLine == "CANCEL sip:bob@198.51.100.20 SIP/2.0")
        #expect(cancel.values(named: "Via") == ["SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-s0-00000000000000aa"])
        #expect(cancel.values(named: "Route") == ["<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>", "<sip:edge3.example.net;lr>"])
        #expect(cancel.values(named: "To") == ["<sip:bob@example.net>"])
        #expect(cancel.values(named: "From") == ["\"Alice\" <sip:alice@example.com>;tag=from-1"])
        #expect(try cancel.callID() == "call-1@192.0.2.10")
        #expect(try cancel.cseq() == CSeq(sequence: 42, method: .cancel))
        #expect(cancel.values(named: "Reason") == ["SIP;cause=487;text=\"Request Terminated\""])
        #expect(h.layer.cancel(id) == cancelID, "asking again gives the same CANCEL")

        h.receive(Msg.response(to: cancel, 200))
        h.receive(Msg.response(to: invite, 487))
        guard case .response(let ok, let okTxn) = h.user.events[1], case .response(let terminated, let inviteTxn) = h.user.events[2] else {
            Issue.record("unexpected events: \(h.user.summary)")
            return
        }
        #expect(ok.statusCode == 200 && okTxn == cancelID)
        #expect(terminated.statusCode == 487 && inviteTxn == id)
    }

    @Test("9.1: before any provisional response the CANCEL waits, and goes out with the first one")
    func waitsForProvisional() throws {
        let h = Harness()
        let invite = ClientInviteTransactionTests.invite
        let id = try h.layer.sendRequest(invite, to: Peer.bobUDP)
        let cancelID = try #require(h.layer.cancel(id))
        #expect(h.layer.state(of: cancelID) == .cancelWaitingForProvisional)
        #expect(h.sender.count == 1)
        h.receive(Msg.response(to: invite, 100))
        #expect(h.sender.last?.message.method == .cancel)
        #expect(h.layer.state(of: cancelID) == .nonInvite(.trying))
    }

    @Test("9.1: no CANCEL after a final response; a waiting CANCEL is dropped when the final response comes first")
    func noCancelAfterFinal() throws {
        let h = Harness()
        let invite = ClientInviteTransactionTests.invite
        let id = try h.layer.sendRequest(invite, to: Peer.bobUDP)
        let cancelID = try #require(h.layer.cancel(id))
        h.receive(Msg.response(to: invite, 486))
        #expect(h.layer.state(of: cancelID) == nil)
        #expect(h.sender.sent.map { $0.message.method } == [.invite, .ack])
        #expect(h.layer.cancel(id) == nil)

        let h2 = Harness()
        let id2 = try h2.layer.sendRequest(invite, to: Peer.bobUDP)
        h2.receive(Msg.response(to: invite, 200))
        #expect(h2.layer.cancel(id2) == nil)
    }
}
