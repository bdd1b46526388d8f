import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@Suite("INVITE server transaction (17.2.1, RFC 6026 7.1)")
struct ServerInviteTransactionTests {
    /// A harness with one INVITE received over `transport`; returns its transaction.
    func start(_ h: Harness, transport: TransportProtocol = .udp) -> ServerTransactionID {
        let connection: ConnectionID? = transport.isReliable ? ConnectionID(rawValue: 3) : nil
        h.receive(Msg.invite(transport: transport.viaToken), transport: transport, connection: connection)
        return h.user.serverTransactions[0]
    }

    func respond(_ h: Harness, _ id: ServerTransactionID, _ status: Int) {
        #expect(h.layer.respond(id, with: Msg.response(to: Msg.invite(), status)))
    }

    @Test("17.2.1: 100 Trying goes out 200 ms after an INVITE the TU has not answered")
    func tryingAfterDelay() throws {
        let h = Harness()
        let id = start(h)
        #expect(h.layer.state(of: id) == .invite(.proceeding))
        h.advance(199)
        #expect(h.sender.count == 0)
        h.advance(1)
        let trying = try #require(h.sender.last).message
        #expect(trying.statusCode == 100)
        #expect(try trying.to().tag == nil)
        #expect(try trying.topVia().branch == "z9hG4bK-alice-1")
        #expect(h.sender.last?.target == OutboundTarget(transport: .udp, address: Peer.alice))
        h.advance(10_000)
        #expect(h.sender.count == 1)
    }

    @Test("17.2.1: no 100 Trying when the TU answers within 200 ms")
    func tuAnswersFirst() {
        let h = Harness()
        let id = start(h)
        h.advance(50)
        respond(h, id, 180)
        h.advance(1_000)
        #expect(h.sender.sent.map { $0.message.statusCode } == [180])
    }

    @Test("16.2: with sendTryingImmediately a proxy sends 100 Trying at once")
    func tryingImmediately() {
        let h = Harness(timers: TransactionTimers(sendTryingImmediately: true))
        _ = start(h)
        #expect(h.sender.sent.map { $0.message.statusCode } == [100])
        h.advance(1_000)
        #expect(h.sender.count == 1)
    }

    @Test("17.2.1: a retransmitted INVITE in Proceeding resends the last provisional response, not passed to the TU")
    func retransmissionInProceeding() {
        let h = Harness()
        let id = start(h)
        h.receive(Msg.invite())
        #expect(h.sender.count == 0, "nothing to resend before any provisional response")
        respond(h, id, 180)
        h.receive(Msg.invite())
        #expect(h.sender.sent.map { $0.message.statusCode } == [180, 180])
        #expect(h.user.summary == ["request INVITE"])
        #expect(h.layer.statistics.retransmissionsAbsorbed == 2)
    }

    @Test("17.2.1: Timer G retransmits a 300-699 over UDP, doubling up to T2, until Timer H ends it without ACK")
    func timerGAndH() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 486)
        #expect(h.layer.state(of: id) == .invite(.completed))
        #expect(h.sendTimes(over: 31_999) == [500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500])
        #expect(h.layer.state(of: id) == .invite(.completed))
        #expect(h.sender.sent.allSatisfy { $0.message.statusCode == 486 })
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary == ["request INVITE", "terminated no ACK (timer H)"])
        #expect(h.layer.statistics.timeouts == 1)
        #expect(h.layer.scheduledTimers == 0)
    }

    @Test("17.2.1: an ACK in Completed moves to Confirmed, stops Timer G, and is absorbed; Timer I (T4) ends it")
    func ackToConfirmed() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 486)
        h.advance(600)
        #expect(h.sender.count == 2)
        h.receive(Msg.ack())
        #expect(h.layer.state(of: id) == .invite(.confirmed))
        h.receive(Msg.ack())
        h.receive(Msg.invite())
        h.advance(4_999)
        #expect(h.sender.count == 2, "no Timer G in Confirmed, retransmissions absorbed")
        #expect(h.layer.state(of: id) == .invite(.confirmed))
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary == ["request INVITE", "terminated completed"])
    }

    @Test("17.2.1: a retransmitted INVITE in Completed resends the final response")
    func retransmissionInCompleted() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 603)
        h.receive(Msg.invite())
        #expect(h.sender.sent.map { $0.message.statusCode } == [603, 603])
        #expect(h.user.summary == ["request INVITE"])
    }

    @Test("17.2.1: over TCP there is no Timer G, and an ACK ends the transaction at once (Timer I = 0)")
    func reliableAck() {
        let h = Harness()
        let id = start(h, transport: .tcp)
        respond(h, id, 486)
        #expect(h.sendTimes(over: 20_000) == [])
        #expect(h.sender.last?.target.connection == ConnectionID(rawValue: 3))
        h.receive(Msg.ack(), transport: .tcp)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary == ["request INVITE", "terminated completed"])
    }

    @Test("17.2.1: over TCP Timer H still ends a transaction that gets no ACK")
    func reliableTimerH() {
        let h = Harness()
        let id = start(h, transport: .tcp)
        respond(h, id, 486)
        h.advance(31_999)
        #expect(h.layer.state(of: id) == .invite(.completed))
        h.advance(1)
        #expect(h.user.summary == ["request INVITE", "terminated no ACK (timer H)"])
    }

    @Test("RFC 6026 7.1: a 2xx moves to Accepted, where retransmitted INVITEs are absorbed without a resend")
    func acceptedAbsorbsInvite() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 200)
        #expect(h.layer.state(of: id) == .invite(.accepted))
        h.receive(Msg.invite())
        #expect(h.sender.count == 1)
        #expect(h.user.summary == ["request INVITE"])
    }

    @Test("RFC 6026 7.1: an ACK in Accepted goes to the TU with the transaction")
    func acceptedPassesAck() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 200)
        h.receive(Msg.ack(toTag: "uas-1"))
        guard case .ack(_, let matched)? = h.user.events.last else {
            Issue.record("no ACK event: \(h.user.summary)")
            return
        }
        #expect(matched == id)
        #expect(h.layer.state(of: id) == .invite(.accepted))
    }

    @Test("RFC 6026 7.1: the TU's 2xx retransmissions are sent in Accepted; other responses are refused")
    func acceptedSendsTwoHundreds() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 200)
        respond(h, id, 200)
        #expect(!h.layer.respond(id, with: Msg.response(to: Msg.invite(), 486)))
        #expect(!h.layer.respond(id, with: Msg.response(to: Msg.invite(), 180)))
        #expect(h.sender.sent.map { $0.message.statusCode } == [200, 200])
        #expect(h.layer.statistics.retransmissionsSent == 1)
    }

    @Test("RFC 6026 7.1: Timer L (64*T1) ends the Accepted state")
    func timerL() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 200)
        h.advance(31_999)
        #expect(h.layer.state(of: id) == .invite(.accepted))
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary == ["request INVITE", "terminated completed"])
    }

    @Test("17.2.1: a second final response is refused in Completed")
    func secondFinal() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 486)
        #expect(!h.layer.respond(id, with: Msg.response(to: Msg.invite(), 200)))
        #expect(h.sender.count == 1)
    }

    @Test("17.2.4: a transport failure ends the transaction and tells the TU")
    func transportFailure() {
        let h = Harness()
        let id = start(h)
        respond(h, id, 486)
        h.layer.transportFailed(TransportFailure(target: OutboundTarget(transport: .udp, address: Peer.alice), reason: "ICMP unreachable"))
        #expect(h.layer.state(of: id) == nil)
        guard case .terminated(_, .transport(let failure))? = h.user.events.last else {
            Issue.record("no termination: \(h.user.summary)")
            return
        }
        #expect(failure.reason == "ICMP unreachable")
        h.advance(40_000)
        #expect(h.sender.count == 1)
    }

    @Test("18.2.2 / RFC 3581: responses go to the source address and port when the Via has rport")
    func rportTarget() {
        let h = Harness()
        let source = SocketAddress(ip: "203.0.113.9", port: 31_000)!
        h.receive(Msg.request("INVITE", viaParams: ";rport"), source: source)
        respond(h, h.user.serverTransactions[0], 180)
        #expect(h.sender.last?.target == OutboundTarget(transport: .udp, address: source))
    }
}
