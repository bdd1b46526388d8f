import Dispatch
import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@Suite("Transaction layer")
struct TransactionLayerTests {
    @Test("17.1.3: a response that matches no client transaction goes to the TU as stray")
    func strayResponse() {
        let h = Harness()
        h.receive(Msg.response(to: Msg.outgoing("INVITE"), 200))
        #expect(h.user.summary == ["stray 200"])
        #expect(h.layer.statistics.strayResponses == 1)
    }

    @Test("17.2.3: an ACK that matches no transaction (a 2xx ACK with its own branch) goes to the TU alone")
    func unmatchedAck() {
        let h = Harness()
        h.receive(Msg.invite())
        h.layer.respond(h.user.serverTransactions[0], with: Msg.response(to: Msg.invite(), 200))
        h.receive(Msg.ack(branch: "z9hG4bK-alice-2", toTag: "uas-1"))
        #expect(h.user.summary == ["request INVITE", "ack nil"])
    }

    @Test("17.2.1: the TU may answer from inside didReceiveRequest")
    func reentrantRespond() {
        let h = Harness()
        h.user.onRequest = { request, id in
            h.layer.respond(id, with: request.makeResponse(status: 100, reason: "Trying"))
            h.layer.respond(id, with: request.makeResponse(status: 404, reason: "Not Found", toTag: "x"))
        }
        h.receive(Msg.invite())
        #expect(h.sender.sent.map { $0.message.statusCode } == [100, 404])
        h.advance(300)
        #expect(h.sender.count == 2, "the TU's 100 stopped the automatic one")
        #expect(h.layer.state(of: h.user.serverTransactions[0]) == .invite(.completed))
    }

    @Test("Statistics count active transactions by kind")
    func statistics() throws {
        let h = Harness()
        h.receive(Msg.invite())
        h.receive(Msg.request("OPTIONS", branch: "z9hG4bK-o"))
        _ = try h.layer.sendRequest(Msg.outgoing("INVITE", branch: "z9hG4bK-s0-1"), to: Peer.bobUDP)
        _ = try h.layer.sendRequest(Msg.outgoing("BYE", branch: "z9hG4bK-s0-2"), to: Peer.bobUDP)
        _ = try h.layer.sendRequest(Msg.outgoing("OPTIONS", branch: "z9hG4bK-s0-3"), to: Peer.bobUDP)
        var s = h.layer.statistics
        #expect(s.activeServerInvite == 1 && s.activeServerNonInvite == 1 && s.activeClientInvite == 1 && s.activeClientNonInvite == 2)
        #expect(s.serverTransactionsCreated == 2 && s.clientTransactionsCreated == 3 && s.active == 5)
        h.advance(64_000)
        s = h.layer.statistics
        #expect(s.active == 2, "the server transactions wait for the TU")
        #expect(s.timeouts == 3)
    }

    @Test("17.1.4: a transport failure on a connection ends only the transactions using it")
    func failureByConnection() throws {
        let h = Harness()
        let other = OutboundTarget(transport: .tcp, address: Peer.bob, connection: ConnectionID(rawValue: 8))
        let a = try h.layer.sendRequest(Msg.outgoing("OPTIONS", branch: "z9hG4bK-s0-1"), to: Peer.bobTCP)
        let b = try h.layer.sendRequest(Msg.outgoing("OPTIONS", branch: "z9hG4bK-s0-2"), to: other)
        h.layer.transportFailed(TransportFailure(target: Peer.bobTCP, reason: "reset"))
        #expect(h.layer.state(of: a) == nil)
        #expect(h.layer.state(of: b) == .nonInvite(.trying))
        #expect(h.user.summary == ["failed 503"])
    }

    @Test("8.1.1.7 / 17.1.1.3: the layer refuses an ACK, a branch without the cookie, and a duplicate branch")
    func sendRequestErrors() throws {
        let h = Harness()
        #expect(throws: TransactionError.self) { try h.layer.sendRequest(Msg.outgoing("ACK"), to: Peer.bobUDP) }
        #expect(throws: TransactionError.self) { try h.layer.sendRequest(Msg.outgoing("INVITE", branch: "abc"), to: Peer.bobUDP) }
        _ = try h.layer.sendRequest(Msg.outgoing("INVITE"), to: Peer.bobUDP)
        #expect(throws: TransactionError.duplicateBranch("z9hG4bK-s0-0000000000000001/INVITE")) {
            try h.layer.sendRequest(Msg.outgoing("INVITE"), to: Peer.bobUDP)
        }
        #expect(h.sender.count == 1)
    }

    @Test("A handle from another shard is unknown here")
    func otherShard() {
        let h = Harness(shard: 1)
        let h0 = Harness(shard: 0)
        h0.receive(Msg.invite())
        h.receive(Msg.invite())
        let foreign = h0.user.serverTransactions[0]
        #expect(foreign.shard == 0)
        #expect(h.layer.state(of: foreign) == nil)
        #expect(!h.layer.respond(foreign, with: Msg.response(to: Msg.invite(), 200)))
        #expect(h.user.serverTransactions[0].shard == 1)
    }

    @Test("8.1.1.7: a request sent with a generated branch is found again by its response's branch, shard included")
    func generatedBranch() throws {
        let h = Harness(shard: 5)
        var request = try SIPMessage(Msg.request("OPTIONS", branch: nil, uri: "sip:bob@198.51.100.20"))
        let branch = TransactionBranch.make(shard: 5)
        request.prependHeader("Via", value: "SIP/2.0/UDP 192.0.2.1:5060;branch=\(branch)")
        let id = try h.layer.sendRequest(request, to: Peer.bobUDP)
        let response = Msg.response(to: request, 200)
        #expect(TransactionBranch.shard(of: try response.topVia().branch ?? "") == 5)
        h.receive(response)
        guard case .response(_, let matched)? = h.user.events.last else {
            Issue.record("no response event: \(h.user.summary)")
            return
        }
        #expect(matched == id)
    }

    @Test("17.2: a request without Via or CSeq cannot be a transaction and is dropped")
    func unidentifiable() {
        let h = Harness()
        h.receive("OPTIONS sip:bob@example.net SIP/2.0\r\nCall-ID: x@y\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:b@c>\r\nContent-Length: 0\r\n\r\n")
        #expect(h.user.events.isEmpty)
        #expect(h.layer.statistics.unidentifiableMessages == 1)
    }
}

@Suite("Queue confinement")
struct QueueConfinementTests {
    @Test("A layer given its shard queue runs there")
    func runsOnQueue() {
        let queue = DispatchQueue(label: "shard-0")
        let clock = VirtualClock()
        let sender = RecordingSender(clock: clock)
        let user = RecordingUser()
        let layer = TransactionLayer(clock: clock, sender: sender, user: user, shard: 0, queue: queue)
        queue.sync {
            layer.receive(Peer.inbound(Msg.invite()))
            clock.advance(by: 200)
            layer.tick()
        }
        #expect(user.summary == ["request INVITE"])
        #expect(sender.sent.map { $0.message.statusCode } == [100])
    }
}
