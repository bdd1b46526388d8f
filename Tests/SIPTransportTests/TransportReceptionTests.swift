import SIPCore
import Testing

@testable import SIPTransport

@Suite("Server transport reception rules")
struct TransportReceptionTests {
    let source = SocketAddress(ip: "198.51.100.7", port: 40_001)!

    func deliver(_ text: String, from: SocketAddress? = nil, transport: TransportProtocol = .udp) throws -> (SIPMessage, SocketAddress?) {
        let outcome = TransportReception.receive(
            Array(text.utf8), framing: .datagram, transport: transport, source: from ?? source, limits: SIPParserLimits())
        guard case .deliver(let m, let alias) = outcome else {
            Issue.record("not delivered: \(outcome)")
            throw SIPParseError(status: 0, reason: "not delivered")
        }
        return (m, alias)
    }

    @Test("RFC 3261 18.2.1: a sent-by equal to the source is left alone; the message is not rewritten")
    func sameAddress() throws {
        let (m, _) = try deliver(request(sentBy: "198.51.100.7:5060"))
        #expect(!m.isModified)
        #expect(try m.topVia().received == nil)
    }

    @Test("RFC 3581 4: an empty rport is filled and received added even when the host matches; other values stay")
    func rportSameHost() throws {
        let multi = request(sentBy: "198.51.100.7:5060", viaParameters: ";rport;x-tag=\"a;b\"")
            .replacing("Max-Forwards: 70", with: "Via: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bKnext\r\nMax-Forwards: 70")
        let (m, _) = try deliver(multi)
        let vias = try m.vias()
        #expect(vias.count == 2)
        #expect(vias[0].received == "198.51.100.7")
        #expect(vias[0].rport == .some(40_001))
        #expect(vias[0].parameters["x-tag"] == "a;b")
        #expect(vias[0].branch == "z9hG4bK776asdhds")
        #expect(vias[1].branch == "z9hG4bKnext")
    }

    @Test("RFC 3581 4: rport filled in a Via line holding several values; an old received is replaced")
    func rportInList() throws {
        let text = request(sentBy: "10.1.1.1", viaParameters: ";received=10.9.9.9;rport")
            .replacing(";rport\r\n", with: ";rport, SIP/2.0/UDP 10.0.0.2;branch=z9hG4bKsecond\r\n")
        let (m, _) = try deliver(text)
        let vias = try m.vias()
        #expect(vias.count == 2)
        #expect(vias[0].received == "198.51.100.7")
        #expect(vias[0].rport == .some(40_001))
        #expect(vias[0].parameters.text.ranges(of: "received").count == 1)
        #expect(vias[1].branch == "z9hG4bKsecond")
    }

    @Test("RFC 5118 4.5: received carries an IPv6 source without brackets")
    func ipv6Received() throws {
        let v6 = SocketAddress(ip: "2001:db8::9", port: 5060)!
        let (m, _) = try deliver(request(sentBy: "[2001:db8::1]"), from: v6)
        #expect(try m.topVia().received == "2001:db8::9")
        // The same address written differently is the same host.
        let (same, _) = try deliver(request(sentBy: "[2001:0db8:0:0::9]:5060"), from: v6)
        #expect(!same.isModified)
    }

    @Test("RFC 5923: alias on a stream gives the numeric sent-by for reuse; over UDP it means nothing")
    func alias() throws {
        let (_, alias) = try deliver(request(sentBy: "192.0.2.5:5070", transport: "TCP", viaParameters: ";alias"), transport: .tcp)
        #expect(alias == SocketAddress(ip: "192.0.2.5", port: 5070))
        let (_, none) = try deliver(request(sentBy: "192.0.2.5:5070", viaParameters: ";alias"))
        #expect(none == nil)
    }

    @Test("RFC 3261 18.2.1: an unparsable request is answered from its salvaged Via, From, To, Call-ID and CSeq (compact forms too)")
    func salvage() throws {
        let text = "INVITE sip:bob@example.com SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.4:5062;branch=z9hG4bKc\r\nf: <sip:a@example.com>;tag=1\r\n"
            + "t: <sip:b@example.com>\r\ni: compact-1\r\nCSeq: 1 INVITE\r\nl: 500\r\n\r\nshort"
        let outcome = TransportReception.receive(Array(text.utf8), framing: .datagram, transport: .udp, source: source, limits: SIPParserLimits())
        guard case .reply(let response, let destination, let error) = outcome else {
            Issue.record("expected a reply, got \(outcome)")
            return
        }
        #expect(error.status == 400)
        #expect(response.statusCode == 400)
        #expect(response.reasonPhrase == "Content-Length larger than the message")
        #expect(try response.callID() == "compact-1")
        #expect(try response.topVia().branch == "z9hG4bKc")
        // No rport: the response goes to the source address at the sent-by port (RFC 3261 18.2.2).
        #expect(destination == SocketAddress(ip: "198.51.100.7", port: 5062))
    }

    @Test("RFC 3261 18.1.2: a response without a usable Via is dropped")
    func badResponse() {
        let outcome = TransportReception.receive(
            Array("SIP/2.0 200 OK\r\nVia: garbage\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\n\r\n".utf8), framing: .datagram, transport: .udp,
            source: source, limits: SIPParserLimits())
        guard case .drop = outcome else {
            Issue.record("expected a drop, got \(outcome)")
            return
        }
    }
}
