import Logging
import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@testable import CallCore

/// Records what the proxy sends: the proxy core runs against a real
/// transaction layer and virtual clock; only the sockets are replaced.
final class RecordingSender: MessageSender, @unchecked Sendable {
    var sent: [(message: SIPMessage, target: OutboundTarget)] = []
    let local = SocketAddress(ip: "127.0.0.1", port: 5070)!

    func send(_ bytes: [UInt8], to target: OutboundTarget) {
        sent.append((try! SIPMessage(bytes: bytes), target))
    }

    func localAddress(toward target: OutboundTarget) -> SocketAddress? { local }

    func take() -> [(message: SIPMessage, target: OutboundTarget)] {
        defer { sent = [] }
        return sent
    }
}

/// A proxy on 127.0.0.1:5070 with static routes, driven message by message.
final class ProxyHarness {
    let clock = VirtualClock()
    let sender = RecordingSender()
    let core: ProxyCore
    let layer: TransactionLayer
    static let caller = SocketAddress(ip: "192.0.2.1", port: 5060)!
    static let local = SocketAddress(ip: "127.0.0.1", port: 5070)!

    init(routes: RouteTable) {
        let identity = ProxyIdentity(listeners: [.udp: Self.local, .tcp: Self.local])
        core = ProxyCore(
            shard: 0, settings: .init(identity: identity, routes: routes), sender: sender, clock: clock,
            logger: Logger(label: "test"))
        layer = TransactionLayer(
            clock: clock, timers: TransactionTimers(sendTryingImmediately: true), sender: sender, user: core, shard: 0)
        core.layer = layer
    }

    func receive(_ message: SIPMessage, from source: SocketAddress = ProxyHarness.caller, transport: TransportProtocol = .udp) {
        layer.receive(InboundMessage(message: message, source: source, local: Self.local, transport: transport, connection: nil))
    }

    /// A response from the downstream element to a request the proxy sent.
    func respond(to request: SIPMessage, status: Int, reason: String, from source: SocketAddress, toTag: String = "uas") {
        receive(request.makeResponse(status: status, reason: reason, toTag: toTag), from: source)
    }

    func advance(_ ms: Int64) {
        clock.advance(by: ms)
        layer.tick()
        core.tick()
    }
}

@Suite("RFC 3261 16: the stateful proxy core")
struct ProxyCoreTests {
    static let uas = SocketAddress(ip: "127.0.0.1", port: 5090)!
    static let uas2 = SocketAddress(ip: "127.0.0.1", port: 5091)!

    static func table(_ targets: [[String]]) -> RouteTable {
        RouteTable(rules: [.init(domain: "*", outcome: .forward(uris: targets.map { $0.map { try! SIPURI($0) } }))])
    }

    @Test("RFC 3261 12, 16.6 step 4: an answered record-routed call counts as active until its BYE passes (what a drain waits for)")
    func activeDialogs() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        h.receive(try ProxyRequestTests.invite())
        let forwarded = try #require(h.sender.take().first { $0.message.isRequest })
        #expect(h.core.activeDialogs == 0)
        h.respond(to: forwarded.message, status: 200, reason: "OK", from: Self.uas)
        #expect(h.core.activeDialogs == 1)
        #expect(h.core.pendingRequests == 0)
        let bye = try SIPMessage(
            [
                "BYE sip:bob@127.0.0.1:5090 SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKbye1", "Max-Forwards: 70",
                "Route: <sip:127.0.0.1:5070;lr>", "From: <sip:alice@example.com>;tag=a1", "To: <sip:bob@example.com>;tag=uas",
                "Call-ID: c1@192.0.2.1", "CSeq: 2 BYE", "Content-Length: 0",
            ].joined(separator: "\r\n") + "\r\n\r\n")
        h.receive(bye)
        #expect(h.core.activeDialogs == 0)
    }

    @Test("16.6 and 16.7: INVITE forwarded with Via, Record-Route, Max-Forwards-1; 100 at once; 180 and 200 forwarded back")
    func basicCall() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        h.receive(try ProxyRequestTests.invite())
        let out = h.sender.take()
        let trying = try #require(out.first { !$0.message.isRequest })
        #expect(trying.message.statusCode == 100)
        #expect(trying.target.address == ProxyHarness.caller)
        let forwarded = try #require(out.first { $0.message.isRequest })
        #expect(forwarded.target.address == Self.uas)
        #expect(forwarded.message.requestURIText == "sip:127.0.0.1:5090")
        #expect(try forwarded.message.maxForwards() == 69)
        #expect(try forwarded.message.vias().count == 2)
        #expect(try forwarded.message.topVia().sentBy == "127.0.0.1:5070")
        #expect(try forwarded.message.recordRoutes().first?.uri.description == "sip:127.0.0.1:5070;lr")

        h.respond(to: forwarded.message, status: 180, reason: "Ringing", from: Self.uas)
        h.respond(to: forwarded.message, status: 200, reason: "OK", from: Self.uas)
        let back = h.sender.take()
        #expect(back.map(\.message.statusCode) == [180, 200])
        #expect(back.allSatisfy { $0.target.address == ProxyHarness.caller })
        #expect(try back[1].message.vias().map(\.sentBy) == ["192.0.2.1:5060"])
    }

    @Test("11.2: an OPTIONS for the proxy's own address is answered 200 with Allow; OPTIONS for a user is routed")
    func optionsKeepAlive() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        let ping = try SIPMessage(
            [
                "OPTIONS sip:127.0.0.1:5070 SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKping", "Max-Forwards: 70",
                "From: <sip:pbx@example.com>;tag=p1", "To: <sip:127.0.0.1:5070>", "Call-ID: ping1", "CSeq: 1 OPTIONS",
                "Content-Length: 0",
            ].joined(separator: "\r\n") + "\r\n\r\n")
        h.receive(ping)
        let answer = try #require(h.sender.take().first)
        #expect(answer.message.statusCode == 200)
        #expect(answer.message.values(named: "Allow").contains("OPTIONS"))
        #expect(answer.target.address == ProxyHarness.caller)
        h.receive(try SIPMessage(ping.text.replacingOccurrences(of: "OPTIONS sip:127", with: "OPTIONS sip:bob@127").replacingOccurrences(of: "z9hG4bKping", with: "z9hG4bKping2")))
        #expect(h.sender.take().contains { $0.message.isRequest && $0.target.address == Self.uas })
    }

    @Test("16.5: no route is 404; a reject rule answers its status")
    func routing() throws {
        let h = ProxyHarness(routes: RouteTable(rules: [.init(domain: "blocked.example", outcome: .reject(status: 403, reason: "Forbidden"))]))
        h.receive(try ProxyRequestTests.invite())
        #expect(h.sender.take().map(\.message.statusCode).contains(404))
        h.receive(try ProxyRequestTests.invite("sip:bob@blocked.example").replacing("Call-ID: c1", "Call-ID: c2").replacing("z9hG4bKua1", "z9hG4bKua2"))
        #expect(h.sender.take().map(\.message.statusCode).contains(403))
    }

    @Test("16.7 step 6: parallel fork, 486 and 503 come back, the caller gets 486")
    func parallelFork() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090", "sip:127.0.0.1:5091"]]))
        h.receive(try ProxyRequestTests.invite())
        let forwarded = h.sender.take().filter { $0.message.isRequest }
        #expect(forwarded.count == 2)
        h.respond(to: forwarded[0].message, status: 503, reason: "Service Unavailable", from: Self.uas)
        h.respond(to: forwarded[1].message, status: 486, reason: "Busy Here", from: Self.uas2)
        let finals = h.sender.take().filter { !$0.message.isRequest && $0.target.address == ProxyHarness.caller }
        #expect(finals.map(\.message.statusCode) == [486])
    }

    @Test("16.7 step 6: a lone 503 becomes 500; serial groups try the next target after a failure")
    func serialFailover() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"], ["sip:127.0.0.1:5091"]]))
        h.receive(try ProxyRequestTests.invite())
        let first = try #require(h.sender.take().first { $0.message.isRequest })
        #expect(first.target.address == Self.uas)
        h.respond(to: first.message, status: 503, reason: "Service Unavailable", from: Self.uas)
        let second = try #require(h.sender.take().first { $0.message.isRequest && $0.message.method == .invite })
        #expect(second.target.address == Self.uas2)
        h.respond(to: second.message, status: 503, reason: "Service Unavailable", from: Self.uas2)
        let finals = h.sender.take().filter { !$0.message.isRequest && $0.target.address == ProxyHarness.caller }
        #expect(finals.map(\.message.statusCode) == [500])
    }

    @Test("16.10: CANCEL is answered 200, the branch is cancelled, the 487 goes back")
    func cancel() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        let invite = try ProxyRequestTests.invite()
        h.receive(invite)
        let forwarded = try #require(h.sender.take().first { $0.message.isRequest })
        h.respond(to: forwarded.message, status: 180, reason: "Ringing", from: Self.uas)
        _ = h.sender.take()
        var cancel = try invite.makeCancel()
        cancel.setHeader("Max-Forwards", value: "70")
        h.receive(cancel)
        let afterCancel = h.sender.take()
        #expect(afterCancel.contains { !$0.message.isRequest && $0.message.statusCode == 200 && $0.message.method == .cancel })
        let downstreamCancel = try #require(afterCancel.first { $0.message.isRequest && $0.message.method == .cancel })
        #expect(downstreamCancel.target.address == Self.uas)
        h.respond(to: forwarded.message, status: 487, reason: "Request Terminated", from: Self.uas)
        let finals = h.sender.take().filter { !$0.message.isRequest && $0.message.method == .invite }
        #expect(finals.map(\.message.statusCode) == [487])
    }

    @Test("16.6 step 11: Timer C cancels a branch that rings too long; the caller gets the 487")
    func timerC() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        h.receive(try ProxyRequestTests.invite())
        let forwarded = try #require(h.sender.take().first { $0.message.isRequest })
        h.respond(to: forwarded.message, status: 180, reason: "Ringing", from: Self.uas)
        _ = h.sender.take()
        h.advance(120_000)
        h.respond(to: forwarded.message, status: 183, reason: "Session Progress", from: Self.uas)
        h.advance(120_000)
        #expect(!h.sender.take().contains { $0.message.method == .cancel && $0.message.isRequest }, "a provisional resets Timer C")
        h.advance(62_000)
        let cancel = try #require(h.sender.take().first { $0.message.method == .cancel && $0.message.isRequest })
        #expect(cancel.target.address == Self.uas)
        h.respond(to: forwarded.message, status: 487, reason: "Request Terminated", from: Self.uas)
        #expect(h.sender.take().filter { !$0.message.isRequest && $0.message.method == .invite }.map(\.message.statusCode) == [487])
    }

    @Test("16.7 step 6: no answer at all is 408 after Timer B")
    func timeout() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        h.receive(try ProxyRequestTests.invite())
        _ = h.sender.take()
        h.advance(64 * 500 + 1)
        let finals = h.sender.take().filter { !$0.message.isRequest && $0.target.address == ProxyHarness.caller }
        #expect(finals.map(\.message.statusCode) == [408])
    }

    @Test("16.3: unknown URI scheme 416, Max-Forwards 0 483, a loop 482")
    func validation() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        h.receive(try ProxyRequestTests.invite("mailto:bob@example.com"))
        #expect(h.sender.take().map(\.message.statusCode).contains(416))
        h.receive(try ProxyRequestTests.invite().replacing("Max-Forwards: 70", "Max-Forwards: 0").replacing("Call-ID: c1", "Call-ID: c3").replacing("z9hG4bKua1", "z9hG4bKua3"))
        #expect(h.sender.take().map(\.message.statusCode).contains(483))
    }

    @Test("16.6 steps 6-7: a strict-router Route: the copy goes to the strict router with our Request-URI as last Route")
    func strictRouteNextHop() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        h.receive(try ProxyRequestTests.invite("sip:bob@example.org", extra: ["Route: <sip:127.0.0.1:5080>"]))
        let forwarded = try #require(h.sender.take().first { $0.message.isRequest })
        #expect(forwarded.target.address == SocketAddress(ip: "127.0.0.1", port: 5080)!)
        #expect(forwarded.message.requestURIText == "sip:127.0.0.1:5080")
        #expect(try forwarded.message.routes().map(\.uri.description) == ["sip:bob@example.org"])
    }

    @Test("16.5: a dialog request without Route whose Request-URI is the proxy itself is routed, not looped (SIPp built-in UAC)")
    func inDialogToOwnAddress() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        let bye = try SIPMessage(
            [
                "BYE sip:service@127.0.0.1:5070 SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKbye9", "Max-Forwards: 70",
                "From: <sip:alice@example.com>;tag=a1", "To: <sip:service@127.0.0.1:5070>;tag=uas", "Call-ID: c9@192.0.2.1",
                "CSeq: 2 BYE", "Content-Length: 0",
            ].joined(separator: "\r\n") + "\r\n\r\n")
        h.receive(bye)
        let forwarded = try #require(h.sender.take().first { $0.message.isRequest })
        #expect(forwarded.target.address == Self.uas)
        let ack = try SIPMessage(bye.text.replacingOccurrences(of: "BYE sip", with: "ACK sip").replacingOccurrences(of: "2 BYE", with: "1 ACK").replacingOccurrences(of: "bye9", with: "ack9"))
        h.receive(ack)
        #expect(h.sender.take().first?.target.address == Self.uas)
    }

    @Test("16.11: an ACK for a 2xx follows its Route statelessly; BYE in the dialog is forwarded")
    func inDialog() throws {
        let h = ProxyHarness(routes: Self.table([["sip:127.0.0.1:5090"]]))
        let ack = try SIPMessage(
            [
                "ACK sip:bob@127.0.0.1:5090 SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKack1", "Max-Forwards: 70",
                "Route: <sip:127.0.0.1:5070;lr>", "From: <sip:alice@example.com>;tag=a1", "To: <sip:bob@example.com>;tag=uas",
                "Call-ID: c1@192.0.2.1", "CSeq: 1 ACK", "Content-Length: 0",
            ].joined(separator: "\r\n") + "\r\n\r\n")
        h.receive(ack)
        let sent = h.sender.take()
        #expect(sent.count == 1)
        #expect(sent.first?.message.method == .ack)
        #expect(sent.first?.target.address == Self.uas)
        #expect(try sent.first?.message.routes().isEmpty == true)
        let bye = try SIPMessage(ack.text.replacingOccurrences(of: "ACK sip", with: "BYE sip").replacingOccurrences(of: "1 ACK", with: "2 BYE").replacingOccurrences(of: "z9hG4bKack1", with: "z9hG4bKbye1"))
        h.receive(bye)
        let forwardedBye = try #require(h.sender.take().first { $0.message.isRequest })
        #expect(forwardedBye.message.method == .bye)
        #expect(forwardedBye.target.address == Self.uas)
        #expect(try forwardedBye.message.recordRoutes().isEmpty)
    }
}
