import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@Suite("INVITE client transaction (17.1.1, RFC 6026 7.2)")
struct ClientInviteTransactionTests {
    /// An INVITE as a proxy forwards it: its own Via on top of the caller's, two Routes.
    static let invite = try! SIPMessage(
        [
            "INVITE sip:bob@198.51.100.20 SIP/2.0",
            "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-s0-00000000000000aa",
            "Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-alice-1;received=192.0.2.10",
            "Max-Forwards: 69",
            "Route: <sip:edge1.example.net;lr>",
            "Route: <sip:edge2.example.net;lr>, <sip:edge3.example.net;lr>",
            "From: \"Alice\" <sip:alice@example.com>;tag=from-1",
            "To: <sip:bob@example.net>",
            "Call-ID: call-1@192.0.2.10",
            "CSeq: 42 INVITE",
            "Contact: <sip:alice@192.0.2.10>",
            "Content-Length: 0",
            "", "",
        ].joined(separator: "\r\n"))

    func start(_ h: Harness, target: OutboundTarget = Peer.bobUDP) throws -> ClientTransactionID {
        try h.layer.sendRequest(Self.invite, to: target)
    }

    @Test("17.1.1.2: Timer A doubles (no T2 cap for INVITE) while Calling over UDP; Timer B gives 408")
    func timerAAndB() throws {
        let h = Harness()
        let id = try start(h)
        #expect(h.sender.count == 1)
        #expect(h.layer.state(of: id) == .invite(.calling))
        #expect(h.sendTimes(over: 31_999) == [500, 1_500, 3_500, 7_500, 15_500, 31_500])
        #expect(h.user.events.isEmpty)
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        guard case .failed(let failed, let failure)? = h.user.events.last else {
            Issue.record("no failure: \(h.user.summary)")
            return
        }
        #expect(failed == id)
        #expect(failure.statusCode == 408)
        #expect(h.layer.scheduledTimers == 0)
    }

    @Test("17.1.1.2: over TCP the INVITE is sent once, and Timer B still applies")
    func reliable() throws {
        let h = Harness()
        _ = try start(h, target: Peer.bobTCP)
        #expect(h.sendTimes(over: 31_999) == [])
        h.advance(1)
        #expect(h.user.summary == ["failed 408"])
    }

    @Test("17.1.1.2: a provisional response moves to Proceeding, goes to the TU, stops Timer A and Timer B")
    func proceeding() throws {
        let h = Harness()
        let id = try start(h)
        h.advance(600)
        h.receive(Msg.response(to: Self.invite, 180))
        h.receive(Msg.response(to: Self.invite, 183))
        #expect(h.layer.state(of: id) == .invite(.proceeding))
        #expect(h.user.summary == ["response 180", "response 183"])
        #expect(h.sendTimes(over: 60_000) == [])
        #expect(h.layer.state(of: id) == .invite(.proceeding), "Timer C belongs to the proxy core, not here")
    }

    @Test("17.1.1.3: a 300-699 is ACKed by the transaction: Request-URI, Call-ID, From, CSeq number, To of the response, one Via, Routes")
    func ackContents() throws {
        let h = Harness()
        _ = try start(h)
        let busy = Msg.response(to: Self.invite, 486, toTag: "bob-9")
        h.receive(busy)
        #expect(h.user.summary == ["response 486"])
        let sent = try #require(h.sender.last)
        #expect(sent.target == Peer.bobUDP)
        let ack = sent.message
        #expect(ack.startLine == "ACK sip:bob@198.51.100.20 SIP/2.0")
        #expect(ack.values(named: "Via") == ["SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK-s0-00000000000000aa"])
        #expect(ack.values(named: "Route") == ["<sip:edge1.example.net;lr>", "<sip:edge2.example.net;lr>", "<sip:edge3.example.net;lr>"])
        #expect(ack.values(named: "From") == ["\"Alice\" <sip:alice@example.com>;tag=from-1"])
        #expect(ack.values(named: "To") == ["<sip:bob@example.net>;tag=bob-9"])
        #expect(try ack.callID() == "call-1@192.0.2.10")
        #expect(try ack.cseq() == CSeq(sequence: 42, method: .ack))
        #expect(ack.values(named: "Contact").isEmpty)
        #expect(ack.contentLength == 0)
    }

    @Test("17.1.1.2: a retransmitted final response in Completed resends the ACK, is not passed up; Timer D (32 s) ends it")
    func completed() throws {
        let h = Harness()
        let id = try start(h)
        let busy = Msg.response(to: Self.invite, 486, toTag: "bob-9")
        h.receive(busy)
        #expect(h.layer.state(of: id) == .invite(.completed))
        h.advance(1_000)
        h.receive(busy)
        #expect(h.sender.count == 3)
        #expect(h.sender.sent[1].bytes == h.sender.sent[2].bytes)
        #expect(h.user.summary == ["response 486"])
        h.advance(30_999)
        #expect(h.layer.state(of: id) == .invite(.completed))
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        #expect(h.user.summary == ["response 486"], "a normal end tells the TU nothing more")
    }

    @Test("17.1.1.2: over TCP Timer D is zero: the transaction ends with the ACK")
    func reliableCompleted() throws {
        let h = Harness()
        let id = try start(h, target: Peer.bobTCP)
        h.receive(Msg.response(to: Self.invite, 503), transport: .tcp)
        #expect(h.sender.count == 2)
        #expect(h.sender.last?.message.method == .ack)
        #expect(h.sender.last?.target == Peer.bobTCP)
        #expect(h.layer.state(of: id) == nil)
    }

    @Test("RFC 6026 7.2: a 2xx moves to Accepted; it and its retransmissions go to the TU, unACKed here; Timer M ends it")
    func accepted() throws {
        let h = Harness()
        let id = try start(h)
        h.receive(Msg.response(to: Self.invite, 180))
        h.receive(Msg.response(to: Self.invite, 200))
        #expect(h.layer.state(of: id) == .invite(.accepted))
        h.advance(500)
        h.receive(Msg.response(to: Self.invite, 200))
        h.receive(Msg.response(to: Self.invite, 180))
        #expect(h.user.summary == ["response 180", "response 200", "response 200"])
        #expect(h.sender.count == 1, "the ACK for a 2xx is the TU's")
        h.advance(31_499)
        #expect(h.layer.state(of: id) == .invite(.accepted))
        h.advance(1)
        #expect(h.layer.state(of: id) == nil)
        h.receive(Msg.response(to: Self.invite, 200))
        #expect(h.user.summary.last == "stray 200")
    }

    @Test("17.1.4: a transport failure in Calling ends the transaction as a 503")
    func transportFailure() throws {
        let h = Harness()
        let id = try start(h)
        h.layer.transportFailed(TransportFailure(target: Peer.bobUDP, reason: "no route"))
        #expect(h.layer.state(of: id) == nil)
        guard case .failed(let failed, let failure)? = h.user.events.last else {
            Issue.record("no failure: \(h.user.summary)")
            return
        }
        #expect(failed == id)
        #expect(failure.statusCode == 503)
        h.advance(40_000)
        #expect(h.sender.count == 1)
    }
}
