#if canImport(Glibc)
import Glibc
#endif
import SIPCore
import Testing

@testable import SIPTransport

@Suite("UDP transport")
struct UDPTransportTests {
    @Test("RFC 3261 18.1.1/18.2.2: an INVITE and its response cross between two layers over UDP")
    func inviteRoundTrip() throws {
        let aInbox = Inbox()
        let bInbox = Inbox()
        let a = try startedLayer([.udp], inbox: aInbox)
        defer { a.stop() }
        let b = try startedLayer([.udp], inbox: bInbox)
        defer { b.stop() }
        let aAddress = a.bound(.udp)
        let bAddress = b.bound(.udp)
        #expect(a.localAddress(toward: OutboundTarget(transport: .udp, address: bAddress)) == aAddress)

        let invite = request("INVITE", sentBy: aAddress.description, body: offer)
        a.send(Array(invite.utf8), to: OutboundTarget(transport: .udp, address: bAddress))
        #expect(bInbox.wait(messages: 1))
        let got = try #require(bInbox.received.first)
        #expect(got.message.method == .invite)
        #expect(got.source == aAddress)
        #expect(got.local == bAddress)
        #expect(got.transport == .udp)
        #expect(got.connection == nil)
        #expect(got.message.body.count == offer.utf8.count)
        // The sent-by is the source: the message arrives untouched (RFC 3261 18.2.1).
        #expect(!got.message.isModified)

        let ringing = got.message.makeResponse(status: 180, reason: "Ringing", toTag: "xyz")
        let via = try got.message.topVia()
        let back = try #require(OutboundTarget.response(toVia: via, arrivedOver: .udp, connection: nil))
        #expect(back.address == aAddress)
        b.send(ringing.serialized(), to: back)
        #expect(aInbox.wait(messages: 1))
        let response = try #require(aInbox.received.first)
        #expect(response.message.statusCode == 180)
        #expect(try response.message.callID() == "a84b4c76e66710@pc33.example.com")
        // The receiver counts its batch after handing the INVITE over: read once counted.
        #expect(eventually { b.statistics.datagramsIn == 1 })
        #expect(b.statistics.datagramsOut == 1)
    }

    @Test("RFC 3261 18.2.1, RFC 3581 4: received and rport are added for a request from another address")
    func receivedAndRport() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.udp], inbox: inbox)
        defer { layer.stop() }
        let peer = try UDPPeer(ip: "127.0.0.2")
        // The sent-by names an address that is not the source, and asks for rport.
        try peer.send(request(sentBy: "127.0.0.1:5062", viaParameters: ";rport"), to: layer.bound(.udp))
        #expect(inbox.wait(messages: 1))
        let message = try #require(inbox.received.first).message
        let via = try message.topVia()
        #expect(via.received == "127.0.0.2")
        #expect(via.rport == .some(peer.local.port))
        #expect(via.branch == "z9hG4bK776asdhds")
        #expect(message.viaCount == 1)
        // The response goes to the source address and port.
        let target = try #require(OutboundTarget.response(toVia: via, arrivedOver: .udp, connection: nil))
        #expect(target.address == peer.local)

        // A name in sent-by without rport gets received only.
        try peer.send(request(sentBy: "pc33.atlanta.example.com", callID: "second"), to: layer.bound(.udp))
        #expect(inbox.wait(messages: 2))
        let second = try inbox.received[1].message.topVia()
        #expect(second.received == "127.0.0.2")
        #expect(second.rport == nil)
        #expect(second.sentBy == "pc33.atlanta.example.com")
    }

    @Test("RFC 5626 4.4.1: a CRLF ping over UDP is answered with a CRLF pong")
    func keepAlive() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.udp], inbox: inbox)
        defer { layer.stop() }
        let peer = try UDPPeer()
        try peer.send("\r\n\r\n", to: layer.bound(.udp))
        #expect(try peer.receive() == [0x0D, 0x0A])
        #expect(inbox.received.isEmpty)
        // A receiver adds its counters up once its batch is handled, which may be after the pong left.
        #expect(eventually { layer.statistics.keepAlivePings == 1 })
    }

    @Test("RFC 3261 8.2 / RFC 4475 3.1.2: a malformed request gets 400 with the parser's reason; the layer keeps serving")
    func malformedRequest() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.udp], inbox: inbox)
        defer { layer.stop() }
        let peer = try UDPPeer()
        let sentBy = peer.local.description

        // A header line without a colon: the message cannot be indexed.
        var broken = request(sentBy: sentBy, callID: "broken-1")
        broken = broken.replacing("Max-Forwards: 70", with: "Max-Forwards 70")
        try peer.send(broken, to: layer.bound(.udp))
        let first = try #require(try peer.receiveText())
        #expect(first.hasPrefix("SIP/2.0 400 Header field Max-Forwards has no colon\r\n"))
        #expect(first.contains("Call-ID: broken-1\r\n"))
        #expect(first.contains("CSeq: 314159 OPTIONS\r\n"))

        // A CSeq whose method differs from the request's: indexed, but unusable.
        let mismatched = request(sentBy: sentBy, callID: "broken-2").replacing("CSeq: 314159 OPTIONS", with: "CSeq: 314159 INVITE")
        try peer.send(mismatched, to: layer.bound(.udp))
        let second = try #require(try peer.receiveText())
        #expect(second.hasPrefix("SIP/2.0 400 CSeq method INVITE does not match OPTIONS\r\n"))

        // An unusable ACK is dropped, never answered (RFC 3261 17.2.1).
        let ack = request("ACK", sentBy: sentBy, callID: "broken-3").replacing("Max-Forwards: 70", with: "Max-Forwards 70")
        try peer.send(ack, to: layer.bound(.udp))
        // A garbage response is dropped too.
        try peer.send("SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n", to: layer.bound(.udp))

        // Still serving: a good request arrives, and nothing else came back.
        try peer.send(request(sentBy: sentBy, callID: "good"), to: layer.bound(.udp))
        #expect(inbox.wait(messages: 1))
        #expect(try inbox.received.first?.message.callID() == "good")
        #expect(inbox.received.count == 1)
        #expect(try peer.receive(seconds: 0.2) == nil)
        let stats = layer.statistics
        #expect(stats.parseErrors == 4)
        #expect(stats.statelessReplies == 2)
        #expect(stats.dropped == 2)
    }

    @Test("RFC 3261 18.1.1: a datagram larger than UDP allows is reported as a send failure; a near-64 KB one of garbage is dropped")
    func oversizeDatagrams() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.udp], inbox: inbox)
        defer { layer.stop() }
        let peer = try UDPPeer()

        let huge = [UInt8](repeating: 0x41, count: 70_000)
        layer.send(huge, to: OutboundTarget(transport: .udp, address: peer.local))
        #expect(inbox.wait(failures: 1))
        let failure = try #require(inbox.failed.first)
        #expect(failure.target.address == peer.local)
        #expect(failure.reason.contains("Message too long"))

        try peer.send([UInt8](repeating: 0x41, count: 65_000), to: layer.bound(.udp))
        // No start line, no headers: nothing to answer, dropped and counted.
        #expect(eventually { layer.statistics.dropped == 1 })
        try peer.send(request(sentBy: peer.local.description), to: layer.bound(.udp))
        #expect(inbox.wait(messages: 1))
        #expect(layer.statistics.sendFailures == 1)
    }

    @Test("RFC 3261 20.14: a request over the configured size limit is answered 513")
    func messageTooLarge() throws {
        let inbox = Inbox()
        var config = quietConfiguration()
        config.parserLimits.maxMessageSize = 2_000
        let layer = try startedLayer([.udp], configuration: config, inbox: inbox)
        defer { layer.stop() }
        let peer = try UDPPeer()
        let body = String(repeating: "a=x-padding\r\n", count: 500)
        try peer.send(request("INVITE", sentBy: peer.local.description, body: body), to: layer.bound(.udp))
        let reply = try #require(try peer.receiveText())
        #expect(reply.hasPrefix("SIP/2.0 513 Message larger than 2000 octets\r\n"))
        #expect(inbox.received.isEmpty)
    }

    @Test("RFC 5118: a request and its response cross over IPv6 loopback")
    func ipv6RoundTrip() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.udp], ip: "::1", inbox: inbox)
        defer { layer.stop() }
        let peer = try UDPPeer(ip: "::1")
        let local = layer.bound(.udp, "::1")
        #expect(local.family == .ipv6)
        try peer.send(request(sentBy: peer.local.description, viaParameters: ";rport"), to: local)
        #expect(inbox.wait(messages: 1))
        let got = try #require(inbox.received.first)
        #expect(got.source == peer.local)
        let via = try got.message.topVia()
        #expect(via.received == "::1")
        let target = try #require(OutboundTarget.response(toVia: via, arrivedOver: .udp, connection: nil))
        #expect(target.address == peer.local)
        layer.send(got.message.makeResponse(status: 200, reason: "OK").serialized(), to: target)
        let reply = try #require(try peer.receiveText())
        #expect(reply.hasPrefix("SIP/2.0 200 OK\r\n"))
        #expect(reply.contains("received=::1"))
    }

    @Test("sendmmsg batching: a burst of responses all arrive")
    func burst() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.udp], inbox: inbox)
        defer { layer.stop() }
        let peer = try UDPPeer()
        let response = Array("SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1\r\nContent-Length: 0\r\n\r\n".utf8)
        for _ in 0..<100 { layer.send(response, to: OutboundTarget(transport: .udp, address: peer.local)) }
        var count = 0
        while count < 100, try peer.receive() != nil { count += 1 }
        #expect(count == 100)
        #expect(eventually { layer.statistics.datagramsOut == 100 })
    }

    @Test("RFC 3261 17.2.1, 18.2.2: responses sent while a received burst is handled all leave, in the order they were sent")
    func burstAnsweredInOrder() throws {
        let layer = SIPTransportLayer(
            listeners: [ListenAddress(transport: .udp, address: address("127.0.0.1"))], configuration: quietConfiguration())
        // Answers each request from the receiving thread, as a shard running inline does:
        // the answers are held back in the receiver's batch and leave together.
        let sender = layer
        layer.onMessage = { inbound in
            let response = inbound.message.makeResponse(status: 200, reason: "OK")
            sender.send(response.serialized(), to: OutboundTarget(transport: .udp, address: inbound.source))
        }
        try layer.start()
        defer { layer.stop() }
        let peer = try UDPPeer()
        let target = layer.bound(.udp)
        for cseq in 1...64 {
            try peer.send(request("OPTIONS", sentBy: peer.local.description, cseq: cseq), to: target)
        }
        var answered: [Int] = []
        while answered.count < 64, let reply = try peer.receiveText() {
            let parsed = try SIPMessage(reply)
            answered.append(Int(try parsed.cseq().sequence))
        }
        #expect(answered == Array(1...64))
        #expect(eventually { layer.statistics.datagramsOut == 64 && layer.statistics.datagramsIn == 64 })
    }

    @Test("RFC 3261 18.1.1: several receivers on one socket deliver every datagram of three peers, and stop with the layer")
    func severalReceivers() throws {
        var configuration = quietConfiguration()
        configuration.datagramReceivers = 3
        let inbox = Inbox()
        let layer = try startedLayer([.udp], configuration: configuration, inbox: inbox)
        let target = layer.bound(.udp)
        let peers = try (0..<3).map { _ in try UDPPeer() }
        for cseq in 1...100 {
            for peer in peers { try peer.send(request("OPTIONS", sentBy: peer.local.description, cseq: cseq), to: target) }
        }
        #expect(inbox.wait(messages: 300))
        #expect(Set(inbox.received.map(\.source)) == Set(peers.map(\.local)))
        layer.stop()
        // Stopped receivers no longer hold the socket: its port can be bound again at once.
        let again = SIPTransportLayer(listeners: [ListenAddress(transport: .udp, address: target)], configuration: quietConfiguration())
        try again.start()
        again.stop()
    }
}
