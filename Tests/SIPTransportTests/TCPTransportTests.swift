#if canImport(Glibc)
import Glibc
#endif
import SIPCore
import Testing

@testable import SIPTransport

@Suite("TCP transport")
struct TCPTransportTests {
    @Test("RFC 3261 18.3: three messages in one write arrive as three; one message in three writes arrives as one")
    func framing() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.tcp], inbox: inbox)
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        let sentBy = peer.local.description
        let three = (1...3).map { request(sentBy: sentBy, transport: "TCP", callID: "batch-\($0)") }.joined()
        #expect(peer.write(three))
        #expect(inbox.wait(messages: 3))
        #expect(try inbox.received.map { try $0.message.callID() } == ["batch-1", "batch-2", "batch-3"])

        let invite = Array(request("INVITE", sentBy: sentBy, transport: "TCP", callID: "split", body: offer).utf8)
        let cut1 = 30
        let cut2 = invite.count - 20
        #expect(peer.write(Array(invite[0..<cut1])))
        #expect(peer.write(Array(invite[cut1..<cut2])))
        #expect(peer.write(Array(invite[cut2...])))
        #expect(inbox.wait(messages: 4))
        let split = try #require(inbox.received.last)
        #expect(try split.message.callID() == "split")
        #expect(split.message.body.count == offer.utf8.count)
        #expect(split.transport == .tcp)
        #expect(split.source == peer.local)
        #expect(split.connection != nil)
        #expect(Set(inbox.received.map(\.connection)).count == 1)
        #expect(inbox.received.count == 4)
    }

    @Test("RFC 3261 18.2.2: the response goes back over the connection the request came on")
    func responseReusesConnection() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.tcp], inbox: inbox)
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        #expect(peer.write(request("INVITE", sentBy: "127.0.0.1:5099", transport: "TCP", body: offer)))
        #expect(inbox.wait(messages: 1))
        let got = try #require(inbox.received.first)
        let via = try got.message.topVia()
        let target = try #require(OutboundTarget.response(toVia: via, arrivedOver: .tcp, connection: got.connection))
        #expect(target.connection == got.connection)
        layer.send(got.message.makeResponse(status: 100, reason: "Trying").serialized(), to: target)
        // Without the connection id, the peer's source address finds the same connection.
        layer.send(
            got.message.makeResponse(status: 180, reason: "Ringing", toTag: "t1").serialized(),
            to: OutboundTarget(transport: .tcp, address: got.source))
        let read = peer.read { $0.text.contains("180 Ringing") }
        #expect(read.bytes.text.hasPrefix("SIP/2.0 100 Trying\r\n"))
        #expect(read.bytes.text.contains("SIP/2.0 180 Ringing\r\n"))
        #expect(layer.statistics.connectionsInitiated == 0)
        #expect(layer.statistics.connectionsAccepted == 1)
    }

    @Test("RFC 5923: a request whose Via carries alias makes its connection reusable toward the Via sent-by")
    func aliasReuse() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.tcp], inbox: inbox)
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        // The peer listens (it says) on 127.0.0.1:5999; nothing is there, so only reuse can deliver.
        #expect(peer.write(request(sentBy: "127.0.0.1:5999", transport: "TCP", viaParameters: ";alias")))
        #expect(inbox.wait(messages: 1))
        let bye = request("BYE", sentBy: "127.0.0.1:5060", transport: "TCP", callID: "in-dialog")
        layer.send(Array(bye.utf8), to: OutboundTarget(transport: .tcp, address: address("127.0.0.1", 5999)))
        let read = peer.read { $0.text.contains("in-dialog") }
        #expect(read.bytes.text.hasPrefix("BYE sip:bob@biloxi.example.com SIP/2.0\r\n"))
        #expect(layer.statistics.connectionsInitiated == 0)
    }

    @Test("RFC 3261 18.1.1: a request to a new peer opens a connection; the answer comes back over it")
    func outboundConnection() throws {
        let aInbox = Inbox()
        let bInbox = Inbox()
        let a = try startedLayer([.tcp], inbox: aInbox)
        defer { a.stop() }
        let b = try startedLayer([.tcp], inbox: bInbox)
        defer { b.stop() }
        let toB = OutboundTarget(transport: .tcp, address: b.bound(.tcp))
        let sentBy = try #require(a.localAddress(toward: toB))
        #expect(sentBy == a.bound(.tcp))
        for i in 1...2 {
            a.send(Array(request(sentBy: sentBy.description, transport: "TCP", callID: "out-\(i)").utf8), to: toB)
        }
        #expect(bInbox.wait(messages: 2))
        let got = try #require(bInbox.received.first)
        // The sent-by is the listener, not the connection's source port, and both are 127.0.0.1: no received.
        #expect(try got.message.topVia().received == nil)
        let target = try #require(OutboundTarget.response(toVia: try got.message.topVia(), arrivedOver: .tcp, connection: got.connection))
        b.send(got.message.makeResponse(status: 200, reason: "OK").serialized(), to: target)
        #expect(aInbox.wait(messages: 1))
        #expect(aInbox.received.first?.message.statusCode == 200)
        #expect(a.statistics.connectionsInitiated == 1)
        #expect(b.statistics.connectionsAccepted == 1)
        #expect(b.statistics.connectionsInitiated == 0)
    }

    @Test("RFC 3261 18.4: a connect that is refused is reported as a failure")
    func connectRefused() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.tcp], inbox: inbox)
        // A port nobody listens on: bind a socket, read its port, close it.
        let probe = try UDPPeer()
        let port = probe.local.port
        let target = OutboundTarget(transport: .tcp, address: address("127.0.0.1", port))
        layer.send(Array(request(sentBy: "127.0.0.1").utf8), to: target)
        #expect(inbox.wait(failures: 1))
        #expect(inbox.failed.first?.target.address == target.address)
        #expect(inbox.failed.first?.reason.contains("refused") == true)
        layer.stop()
    }

    @Test("RFC 5626 4.4.1: a CRLFCRLF ping over TCP is answered with a CRLF pong")
    func keepAlive() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.tcp], inbox: inbox)
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        #expect(peer.write("\r\n\r\n"))
        let read = peer.read { $0.count >= 2 }
        #expect(read.bytes == [0x0D, 0x0A])
        #expect(inbox.received.isEmpty)
    }

    @Test("Idle timeout: a connection without traffic is closed")
    func idleTimeout() throws {
        let inbox = Inbox()
        var config = quietConfiguration()
        config.idleTimeout = 0.3
        config.closeLingerTimeout = 0.3
        let layer = try startedLayer([.tcp], configuration: config, inbox: inbox)
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        #expect(peer.readToEnd().closed)
        #expect(eventually { layer.statistics.connectionsOpen == 0 })
        #expect(layer.statistics.connectionsClosedIdle == 1)
    }

    @Test("Connection limit: an accept beyond max connections is closed; the others keep working")
    func maxConnections() throws {
        let inbox = Inbox()
        var config = quietConfiguration()
        config.maxConnections = 2
        let layer = try startedLayer([.tcp], configuration: config, inbox: inbox)
        defer { layer.stop() }
        let first = try TCPPeer(connectingTo: layer.bound(.tcp))
        let second = try TCPPeer(connectingTo: layer.bound(.tcp))
        #expect(eventually { layer.statistics.connectionsAccepted == 2 })
        let third = try TCPPeer(connectingTo: layer.bound(.tcp))
        #expect(third.readToEnd().closed)
        #expect(layer.statistics.connectionsRefused == 1)
        #expect(first.write(request(sentBy: first.local.description, transport: "TCP", callID: "first")))
        #expect(second.write(request(sentBy: second.local.description, transport: "TCP", callID: "second")))
        #expect(inbox.wait(messages: 2))
        #expect(layer.statistics.connectionsOpen == 2)
    }

    @Test("RFC 3261 18.3: a peer sending headers without end is answered 513 and closed at the size limit")
    func headersForever() throws {
        let inbox = Inbox()
        var config = quietConfiguration()
        config.maxStreamMessageSize = 4_096
        config.closeLingerTimeout = 0.5
        let layer = try startedLayer([.tcp], configuration: config, inbox: inbox)
        defer { layer.stop() }
        var start = request("INVITE", sentBy: "127.0.0.1:5099", transport: "TCP")
        start.removeLast(2)  // no blank line: the header section goes on
        let padding = (0..<1_000).map { "X-Padding-\($0): \(String(repeating: "z", count: 50))\r\n" }
        // One peer trickles the lines, one sends them in a single write; 64 KB each, bounded.
        let trickle = try TCPPeer(connectingTo: layer.bound(.tcp))
        #expect(trickle.write(start))
        for line in padding where !trickle.write(line) { break }
        let burst = try TCPPeer(connectingTo: layer.bound(.tcp))
        burst.write(start + padding.joined())
        for peer in [trickle, burst] {
            let read = peer.readToEnd()
            #expect(read.closed)
            #expect(read.bytes.text.hasPrefix("SIP/2.0 513 Message header section larger than 4096 octets\r\n"))
            #expect(read.bytes.text.contains("CSeq: 314159 INVITE\r\n"))
        }
        #expect(inbox.received.isEmpty)
        #expect(eventually { layer.statistics.connectionsOpen == 0 })
    }

    @Test("Idle timeout: a peer that stops in the middle of a body is closed, nothing is delivered")
    func stopsMidBody() throws {
        let inbox = Inbox()
        var config = quietConfiguration()
        config.idleTimeout = 0.3
        let layer = try startedLayer([.tcp], configuration: config, inbox: inbox)
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        let invite = Array(request("INVITE", sentBy: peer.local.description, transport: "TCP", body: offer).utf8)
        #expect(peer.write(Array(invite.dropLast(40))))
        #expect(peer.readToEnd().closed)
        #expect(inbox.received.isEmpty)
    }

    @Test("RFC 3261 18.3: a message trickled a byte at a time is closed once it is older than the idle timeout")
    func trickledMessageCloses() throws {
        let inbox = Inbox()
        var config = quietConfiguration()
        config.idleTimeout = 0.3
        config.closeLingerTimeout = 0.3
        let layer = try startedLayer([.tcp], configuration: config, inbox: inbox)
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        let invite = Array(request("INVITE", sentBy: peer.local.description, transport: "TCP", body: offer).utf8)
        // Each byte comes well within the idle timeout, so only the age of the message can end it; bounded by the message's length.
        var closed = false
        for byte in invite.dropLast() {
            guard peer.write([byte]) else {
                closed = true
                break
            }
            if peer.read(seconds: 0.05, until: { _ in false }).closed {
                closed = true
                break
            }
        }
        #expect(closed, "the connection stayed open while the message trickled in")
        #expect(inbox.received.isEmpty)
        #expect(layer.statistics.connectionsClosedIdle == 1)
    }

    @Test("Reload: new idle timeouts apply to connections opened afterwards")
    func timeoutsForNewConnections() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.tcp], inbox: inbox)
        defer { layer.stop() }
        layer.setStreamTimeouts(idle: 0.3, handshake: 10)
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        #expect(peer.readToEnd().closed)
        #expect(eventually { layer.statistics.connectionsOpen == 0 })
        #expect(layer.statistics.connectionsClosedIdle == 1)
    }

    @Test("RFC 3261 18.3: a framed request that does not parse is answered 400 and the connection stays")
    func malformedOverStream() throws {
        let inbox = Inbox()
        let layer = try startedLayer([.tcp], inbox: inbox)
        defer { layer.stop() }
        let peer = try TCPPeer(connectingTo: layer.bound(.tcp))
        let bad = request(sentBy: peer.local.description, transport: "TCP", callID: "bad").replacing("Max-Forwards: 70", with: "Max-Forwards 70")
        #expect(peer.write(bad))
        let read = peer.read { $0.text.contains("\r\n\r\n") }
        #expect(read.bytes.text.hasPrefix("SIP/2.0 400 Header field Max-Forwards has no colon\r\n"))
        #expect(peer.write(request(sentBy: peer.local.description, transport: "TCP", callID: "good")))
        #expect(inbox.wait(messages: 1))
        #expect(try inbox.received.first?.message.callID() == "good")
    }
}
