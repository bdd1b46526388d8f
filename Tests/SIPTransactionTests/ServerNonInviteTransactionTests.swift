import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@Suite("Non-INVITE server transaction (17.2.2)")
struct ServerNonInviteTransactionTests {
    let options = Msg.request("OPTIONS")

    func start(_ h: Harness, transport: TransportProtocol = .udp) -> ServerTransactionID {
        h.receive(Msg.request("OPTIONS", transport: transport.viaToken), transport: transport, connection: transport.isReliable ? ConnectionID(rawValue: 4) : nil)
        return h.user.serverTransactions[0]
    }

    @Test("17.2.2: a retransmission in Trying is absorbed silently")
    func trying() {
        let h = Harness()
        let id = start(h)
        #expect(h.layer.state(of: id) == .nonInvite(.trying))
        h.receive(options)
        h.advance(1_000)
        #expect(h.sender.count == 0)
        #expect(h.user.summary == ["request OPTIONS"])
    }

    @Test("17.2.2: Proceeding resends the last provisional response for a retransmission")
    func proceeding() {
        let h = Harness()
        let id = start(h)
        #expect(h.layer.respond(id, with: Msg.response(to: options, 100)))
        #expect(h.layer.state(of: id) == .nonInvite(.proceeding))
        h.receive(options)
        #expect(h.sender.sent.map { $0.message.statusCode } == [100, 100])
    }

    @Test("17.2.2: Completed resends the final response until Timer J (64*T1) ends it")
    func completed() {
        let h = Harness()
        let id = start(h)
        #expect(h.layer.respond(id, with: Msg.response(to: options, 200)))
        #expect(h.layer.state(of: id) == .nonInvite(.completed))
        h.receive(options)
        #expect(h.sender.sent.map { $0.message.statusCode } == [200, 200])
        #expect(h.sendTimes(over: 31_999) == [], "no timer-driven response retransmissions")
        #expect(h.layer.state(of: id) == .nonInvite(.completed))
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary == ["request OPTIONS", "terminated completed"])
        h.receive(options)
        #expect(h.user.summary.filter { $0 == "request OPTIONS" }.count == 2, "after Terminated the request is new")
    }

    @Test("17.2.2: over TCP the final response ends the transaction at once (Timer J = 0)")
    func reliable() {
        let h = Harness()
        let id = start(h, transport: .tcp)
        #expect(h.layer.respond(id, with: Msg.response(to: options, 200)))
        #expect(h.layer.state(of: id) == nil)
        #expect(h.sender.last?.target.connection == ConnectionID(rawValue: 4))
        #expect(h.user.summary == ["request OPTIONS", "terminated completed"])
    }

    @Test("8.2.7: a stateless answer (a challenge) is sent once and ends the transaction; a retransmission is a new request")
    func stateless() {
        let h = Harness()
        let id = start(h)
        #expect(h.layer.respondStatelessly(id, with: Msg.response(to: options, 401)))
        #expect(h.layer.state(of: id) == nil, "no state kept for Timer J")
        #expect(h.layer.statistics.activeServerNonInvite == 0)
        #expect(h.layer.statistics.statelessResponses == 1)
        #expect(h.user.summary == ["request OPTIONS", "terminated completed"])
        h.receive(options)
        #expect(h.user.summary.filter { $0 == "request OPTIONS" }.count == 2, "answered anew, not absorbed")
        #expect(h.sender.sent.map { $0.message.statusCode } == [401])
        #expect(!h.layer.respondStatelessly(id, with: Msg.response(to: options, 401)), "the ended transaction takes nothing more")
    }

    @Test("8.2.7: an INVITE's answer is not stateless: its transaction stays to retransmit it until the ACK")
    func statelessInviteStays() {
        let h = Harness()
        let invite = Msg.request("INVITE")
        h.receive(invite)
        let id = h.user.serverTransactions[0]
        #expect(h.layer.respondStatelessly(id, with: Msg.response(to: invite, 407)))
        #expect(h.layer.state(of: id) == .invite(.completed))
        #expect(h.layer.statistics.statelessResponses == 0)
    }

    @Test("17.2.2: a second final response is refused")
    func secondFinal() {
        let h = Harness()
        let id = start(h)
        #expect(h.layer.respond(id, with: Msg.response(to: options, 200)))
        #expect(!h.layer.respond(id, with: Msg.response(to: options, 500)))
        #expect(!h.layer.respond(id, with: Msg.response(to: options, 180)))
        #expect(h.sender.count == 1)
    }

    @Test("17.2.4: a transport failure in Completed ends the transaction and tells the TU")
    func transportFailure() {
        let h = Harness()
        let id = start(h)
        h.layer.respond(id, with: Msg.response(to: options, 404))
        h.layer.transportFailed(TransportFailure(target: OutboundTarget(transport: .udp, address: Peer.alice), reason: "unreachable"))
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary.last?.hasPrefix("terminated transport failure") == true)
    }
}
