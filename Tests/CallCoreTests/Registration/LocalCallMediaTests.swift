import SIPCore
import SIPTransport
import Testing

@testable import CallCore

@Suite("RFC 3261 16.5 with a B2BUA: calls between registered users bridged so their media can be relayed")
struct LocalCallMediaTests {
    static let bobFlow = SocketAddress(ip: "198.51.100.8", port: 40_001)!
    static let bob = "sip:bob@\(RegistrarHarness.realm)"

    static func decision(_ h: RegistrarHarness, _ mode: LocalCallMedia) -> LocationRouteDecision {
        let identity = ProxyIdentity(listeners: [.udp: RegistrarHarness.local], domains: [RegistrarHarness.realm])
        return LocationRouteDecision(service: h.service, identity: identity, fallback: RouteTable(rules: []), localCalls: mode)
    }

    /// An INVITE to bob with an SDP offer; `crypto` adds an SDES key (RFC 4568).
    static func invite(crypto: Bool, method: String = "INVITE") throws -> SIPMessage {
        var sdp = "v=0\r\no=alice 1 1 IN IP4 10.0.0.7\r\ns=-\r\nc=IN IP4 10.0.0.7\r\nt=0 0\r\n"
        sdp += "m=audio 4000 \(crypto ? "RTP/SAVP" : "RTP/AVP") 0\r\na=rtpmap:0 PCMU/8000\r\n"
        if crypto { sdp += "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz\r\n" }
        let head = [
            "\(method) \(bob) SIP/2.0", "Via: SIP/2.0/UDP 203.0.113.50:5060;branch=z9hG4bKlocal1", "Max-Forwards: 70",
            "From: <sip:alice@\(RegistrarHarness.realm)>;tag=a1", "To: <\(bob)>", "Call-ID: local-1", "CSeq: 1 \(method)",
            "Contact: <sip:alice@203.0.113.50:5060>", "Content-Type: application/sdp", "Content-Length: \(sdp.utf8.count)",
        ]
        return try SIPMessage(head.joined(separator: "\r\n") + "\r\n\r\n" + sdp)
    }

    static func bridged(_ outcome: RouteOutcome) -> B2BUARequest? {
        if case .bridge(let request) = outcome { return request }
        return nil
    }

    @Test("RFC 3261 16.5, RFC 5626 5.3: \"nat\" bridges an INVITE to a NATed contact over its REGISTER flow, relayed, SRTP off")
    func natBridgesOverFlow() throws {
        let h = try RegistrarHarness()
        try h.registered("bob", from: Self.bobFlow)
        let request = try Self.invite(crypto: false)
        let outcome = Self.decision(h, .nat).route(request, requestURI: try request.requestURI())
        let bridge = try #require(Self.bridged(outcome))
        let target = try #require(bridge.candidates.first)
        #expect(bridge.candidates.count == 1)
        #expect(target.target.uri.description == "sip:bob@10.0.0.5:5060")
        #expect(target.target.flow?.address == Self.bobFlow)
        #expect(target.media == MediaPolicy(relay: .always, allowedCodecs: [], srtp: .off))
        #expect(bridge.accounting.callClass == .local)
    }

    @Test("RFC 4568 7.1: a caller that offers SDES gets SRTP offered (optional) to the callee; codecs stay unrestricted")
    func sdesMakesSRTPOptional() throws {
        let h = try RegistrarHarness()
        try h.registered("bob", from: Self.bobFlow)
        let request = try Self.invite(crypto: true)
        let bridge = try #require(Self.bridged(Self.decision(h, .always).route(request, requestURI: try request.requestURI())))
        #expect(bridge.candidates.map(\.media) == [MediaPolicy(relay: .always, allowedCodecs: [], srtp: .optional)])
    }

    @Test("RFC 3261 16.5: a contact registered from where it says it is leaves the relay decision to the caller's side (whenNAT)")
    func publicContactIsWhenNAT() throws {
        let h = try RegistrarHarness()
        try h.registered("bob", from: Self.bobFlow, contactHost: "198.51.100.8:40001")
        let request = try Self.invite(crypto: false)
        let bridge = try #require(Self.bridged(Self.decision(h, .nat).route(request, requestURI: try request.requestURI())))
        #expect(bridge.candidates.map(\.media.relay) == [.whenNAT])
    }

    @Test("RFC 3261 16.5: \"never\" proxies to the contacts; a MESSAGE is proxied in every mode")
    func neverAndNonInviteForward() throws {
        let h = try RegistrarHarness()
        try h.registered("bob", from: Self.bobFlow)
        let invite = try Self.invite(crypto: false)
        guard case .forward(let groups) = Self.decision(h, .never).route(invite, requestURI: try invite.requestURI()) else {
            Issue.record("INVITE not proxied under never")
            return
        }
        #expect(groups.joined().map(\.flow?.address) == [Self.bobFlow])
        let message = try Self.invite(crypto: false, method: "MESSAGE")
        #expect(Self.bridged(Self.decision(h, .always).route(message, requestURI: try message.requestURI())) == nil)
    }

    @Test("RFC 3261 16.5: an unregistered user of our domain is 480, whatever the mode")
    func unregisteredIs480() throws {
        let h = try RegistrarHarness()
        let request = try Self.invite(crypto: false)
        #expect(Self.decision(h, .always).route(request, requestURI: try request.requestURI()) == .reject(status: 480, reason: "Temporarily Unavailable"))
    }
}
