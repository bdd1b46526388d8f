import Logging
import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@testable import CallCore

/// A shard with a proxy core and its B2BUA on 127.0.0.1:5070, a PBX at
/// 192.0.2.1:5060 and carriers at 127.0.0.1:5090/5091, driven message by
/// message on a real transaction layer and a virtual clock.
final class B2BUAHarness {
    static let pbx = SocketAddress(ip: "192.0.2.1", port: 5060)!
    static let carrier1 = SocketAddress(ip: "127.0.0.1", port: 5090)!
    static let carrier2 = SocketAddress(ip: "127.0.0.1", port: 5091)!
    static let local = SocketAddress(ip: "127.0.0.1", port: 5070)!
    static let offer = "v=0\r\no=pbx 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n"
    static let answer = "v=0\r\no=carrier 7 7 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 6000 RTP/AVP 0\r\n"

    let clock = VirtualClock()
    let sender = RecordingSender()
    let core: ProxyCore
    let b2bua: B2BUA
    let layer: TransactionLayer

    static func carriers(_ addresses: [SocketAddress], supports100rel: Bool = false, supportsRefer: Bool = false, supportsUpdate: Bool = true)
        -> [B2BUATarget]
    {
        addresses.map {
            B2BUATarget(
                target: ForwardTarget(uri: try! SIPURI("sip:+15551234567@\($0.ip):\($0.port)")), supports100rel: supports100rel,
                supportsRefer: supportsRefer, supportsUpdate: supportsUpdate)
        }
    }

    init(_ request: B2BUARequest) {
        let identity = ProxyIdentity(listeners: [.udp: Self.local, .tcp: Self.local], domains: ["switchboard.test"])
        let routes = RouteTable(rules: [.init(domain: "*", outcome: .bridge(request))])
        core = ProxyCore(shard: 0, settings: .init(identity: identity, routes: routes), sender: sender, clock: clock, logger: Logger(label: "test"))
        b2bua = B2BUA(shard: 0, settings: .init(identity: identity), sender: sender, clock: clock, logger: Logger(label: "test"))
        layer = TransactionLayer(clock: clock, timers: TransactionTimers(sendTryingImmediately: true), sender: sender, user: core, shard: 0)
        core.layer = layer
        core.b2bua = b2bua
    }

    convenience init(carriers: [SocketAddress] = [B2BUAHarness.carrier1, B2BUAHarness.carrier2]) {
        self.init(B2BUARequest(candidates: Self.carriers(carriers)))
    }

    func receive(_ message: SIPMessage, from source: SocketAddress) {
        layer.receive(InboundMessage(message: message, source: source, local: Self.local, transport: .udp, connection: nil))
    }

    func advance(_ ms: Int64) {
        clock.advance(by: ms)
        layer.tick()
        core.tick()
    }

    /// What went to `address` since the last look, and forgets everything sent.
    func take(to address: SocketAddress) -> [SIPMessage] {
        sender.take().filter { $0.target.address == address }.map(\.message)
    }

    // MARK: leg A (the PBX)

    static func invite(callID: String = "pbx-call-1", branch: String = "z9hG4bKpbx1", body: String = offer, extra: [String] = []) -> SIPMessage {
        let lines =
            [
                "INVITE sip:+15551234567@switchboard.test SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=\(branch);rport",
                "Max-Forwards: 70", "From: \"Alice\" <sip:1001@pbx.example>;tag=a1", "To: <sip:+15551234567@switchboard.test>",
                "Call-ID: \(callID)", "CSeq: 1 INVITE", "Contact: <sip:1001@192.0.2.1:5060>", "Supported: 100rel, timer, replaces",
                "P-Asserted-Identity: <sip:+15550001001@pbx.example>",
            ] + extra + ["Content-Type: application/sdp", "Content-Length: \(body.utf8.count)"]
        return try! SIPMessage(lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    /// A request from the PBX in its dialog with us (`toTag` is ours).
    static func aRequest(
        _ method: String, cseq: Int, toTag: String, callID: String = "pbx-call-1", branch: String, body: String = "", extra: [String] = []
    ) -> SIPMessage {
        var lines = [
            "\(method) sip:127.0.0.1:5070 SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=\(branch);rport", "Max-Forwards: 70",
            "From: \"Alice\" <sip:1001@pbx.example>;tag=a1", "To: <sip:+15551234567@switchboard.test>;tag=\(toTag)",
            "Call-ID: \(callID)", "CSeq: \(cseq) \(method)", "Contact: <sip:1001@192.0.2.1:5060>",
        ]
        lines += extra
        if !body.isEmpty { lines.append("Content-Type: application/sdp") }
        lines.append("Content-Length: \(body.utf8.count)")
        return try! SIPMessage(lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    // MARK: leg B (the carrier)

    /// The carrier's response to a request we sent it.
    static func response(
        to request: SIPMessage, _ status: Int, _ reason: String, toTag: String = "carrier-tag", body: String = "", extra: [(String, String)] = []
    ) -> SIPMessage {
        var headers = extra
        if status < 300 && request.method != .bye { headers.append(("Contact", "<sip:carrier@127.0.0.1:5090>")) }
        var response = request.makeResponse(status: status, reason: reason, toTag: toTag, extraHeaders: headers)
        if !body.isEmpty { response.setBody(Array(body.utf8), contentType: "application/sdp") }
        return try! SIPMessage(bytes: response.serialized())
    }

    /// A request from the carrier in its dialog with us, built from the INVITE we sent it.
    static func bRequest(
        _ method: String, cseq: Int, invite: SIPMessage, toTag: String = "carrier-tag", branch: String, body: String = "",
        extra: [String] = []
    ) -> SIPMessage {
        let contact = try! invite.contacts().first!.uri
        var lines = [
            "\(method) \(contact) SIP/2.0", "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=\(branch)", "Max-Forwards: 70",
            "From: \(invite.value(of: invite.firstField(.to)!));tag=\(toTag)", "To: \(invite.value(of: invite.firstField(.from)!))",
            "Call-ID: \(try! invite.callID())", "CSeq: \(cseq) \(method)", "Contact: <sip:carrier@127.0.0.1:5090>",
        ]
        lines += extra
        if !body.isEmpty { lines.append("Content-Type: application/sdp") }
        lines.append("Content-Length: \(body.utf8.count)")
        return try! SIPMessage(lines.joined(separator: "\r\n") + "\r\n\r\n" + body)
    }

    /// Sets up a call up to the carrier's 200 and the PBX's ACK; returns the
    /// INVITE the carrier got and the 200 the PBX got.
    func establish(extra200: [(String, String)] = []) throws -> (bInvite: SIPMessage, aOK: SIPMessage) {
        receive(Self.invite(), from: Self.pbx)
        let bInvite = try #require(take(to: Self.carrier1).first { $0.method == .invite })
        receive(Self.response(to: bInvite, 200, "OK", body: Self.answer, extra: extra200), from: Self.carrier1)
        let aOK = try #require(take(to: Self.pbx).first { $0.statusCode == 200 })
        let tag = try #require(try aOK.to().tag)
        receive(Self.aRequest("ACK", cseq: 1, toTag: tag, branch: "z9hG4bKpbxack1"), from: Self.pbx)
        _ = sender.take()
        return (bInvite, aOK)
    }
}

extension SIPMessage {
    /// Whether the start line or header fields contain any of `needles`
    /// (the SDP body is copied as is: rewriting it is the media relay's part).
    func mentions(_ needles: [String]) -> Bool {
        let text = self.text.components(separatedBy: "\r\n\r\n")[0]
        return needles.contains { text.contains($0) }
    }
}

extension SIPMessage {
    var bodyText: String { String(decoding: body, as: UTF8.self) }
}
