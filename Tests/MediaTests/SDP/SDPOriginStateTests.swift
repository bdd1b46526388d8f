import SIPCore
import Testing
@testable import Media

@Suite("SDP origin per leg")
struct SDPOriginStateTests {
    static func offer(port: Int, direction: String = "sendrecv") throws -> SessionDescription {
        try SessionDescription(parsing: sdpText([
            "v=0", "o=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com", "s=",
            "c=IN IP4 192.0.2.10", "t=0 0", "m=audio \(port) RTP/AVP 0", "a=rtpmap:0 PCMU/8000", "a=\(direction)",
        ]))
    }

    @Test("RFC 3264 8: the version increases by one only when the description changed; the session id stays")
    func versionOnChange() throws {
        var origin = SDPOriginState(sessionID: "4711", version: 100, address: "192.0.2.10")
        var first = try Self.offer(port: 30000)
        _ = origin.stamp(&first)
        #expect(first.origin.sessionID == "4711")
        #expect(first.origin.sessionVersion == 100)
        #expect(first.origin.address == "192.0.2.10")

        var same = try Self.offer(port: 30000)
        _ = origin.stamp(&same)
        #expect(same.origin.sessionVersion == 100)

        // The peer's own o= changing (its re-INVITE) alone does not change what this leg sends.
        var peerBumped = try Self.offer(port: 30000)
        peerBumped.origin.sessionVersion = 2890844530
        _ = origin.stamp(&peerBumped)
        #expect(peerBumped.origin.sessionVersion == 100)

        var held = try Self.offer(port: 30000, direction: "sendonly")
        let bytes = origin.stamp(&held)
        #expect(held.origin.sessionVersion == 101)
        #expect(String(decoding: bytes, as: UTF8.self).contains("o=- 4711 101 IN IP4 192.0.2.10\r\n"))

        var resumed = try Self.offer(port: 30000)
        _ = origin.stamp(&resumed)
        #expect(resumed.origin.sessionVersion == 102)
        #expect(resumed.origin.sessionID == "4711")
    }

    @Test("RFC 8866 5.2: an IPv6 relay address gives IN IP6 in o=")
    func ipv6Origin() throws {
        var origin = SDPOriginState(sessionID: "1", address: "2001:db8::10")
        var description = try Self.offer(port: 30000)
        _ = origin.stamp(&description)
        #expect(description.origin.addrType == "IP6")
    }
}
