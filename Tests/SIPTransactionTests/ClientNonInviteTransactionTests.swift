import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@Suite("Non-INVITE client transaction (17.1.2)")
struct ClientNonInviteTransactionTests {
    let options = Msg.outgoing("OPTIONS")

    @Test("17.1.2.2: Timer E doubles up to T2 while Trying over UDP; Timer F gives 408")
    func timerEAndF() throws {
        let h = Harness()
        let id = try h.layer.sendRequest(options, to: Peer.bobUDP)
        #expect(h.layer.state(of: id) == .nonInvite(.trying))
        #expect(h.sendTimes(over: 31_999) == [500, 1_500, 3_500, 7_500, 11_500, 15_500, 19_500, 23_500, 27_500, 31_500])
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary == ["failed 408"])
        #expect(h.layer.statistics.timeouts == 1)
    }

    @Test("17.1.2.2: in Proceeding, Timer E retransmits every T2 until Timer F")
    func proceeding() throws {
        let h = Harness()
        let id = try h.layer.sendRequest(options, to: Peer.bobUDP)
        h.advance(600)
        h.receive(Msg.response(to: options, 100))
        #expect(h.layer.state(of: id) == .nonInvite(.proceeding))
        #expect(h.user.summary == ["response 100"])
        #expect(h.sendTimes(over: 31_399) == [900, 4_900, 8_900, 12_900, 16_900, 20_900, 24_900, 28_900])
        h.advance(1)
        #expect(h.user.summary == ["response 100", "failed 408"])
    }

    @Test("17.1.2.2: a final response moves to Completed; its retransmissions are absorbed until Timer K (T4)")
    func completed() throws {
        let h = Harness()
        let id = try h.layer.sendRequest(options, to: Peer.bobUDP)
        h.receive(Msg.response(to: options, 200))
        #expect(h.layer.state(of: id) == .nonInvite(.completed))
        h.receive(Msg.response(to: options, 200))
        #expect(h.user.summary == ["response 200"])
        #expect(h.sendTimes(over: 4_999) == [])
        #expect(h.layer.state(of: id) == .nonInvite(.completed))
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.layer.statistics.retransmissionsAbsorbed == 1)
    }

    @Test("17.1.2.2: over TCP no retransmissions, and Timer K is zero")
    func reliable() throws {
        let h = Harness()
        let id = try h.layer.sendRequest(options, to: Peer.bobTCP)
        #expect(h.sendTimes(over: 10_000) == [])
        h.receive(Msg.response(to: options, 404), transport: .tcp)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary == ["response 404"])
    }

    @Test("17.1.4: a transport failure in Trying is a 503")
    func transportFailure() throws {
        let h = Harness()
        _ = try h.layer.sendRequest(options, to: Peer.bobTCP)
        h.layer.transportFailed(TransportFailure(target: Peer.bobTCP, reason: "connection refused"))
        #expect(h.user.summary == ["failed 503"])
        #expect(h.layer.statistics.activeClient == 0)
    }
}
