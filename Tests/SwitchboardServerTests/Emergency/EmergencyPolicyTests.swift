import Emergency
import Foundation
import SIPCore
import Testing
@testable import SwitchboardServer

@Suite("EmergencyPolicy")
struct EmergencyPolicyTests {
    static let now = Date(timeIntervalSince1970: 1_794_000_000)
    static let sdp = Array("v=0\r\no=- 1 1 IN IP4 10.20.1.1\r\ns=-\r\nc=IN IP4 10.20.1.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0 101\r\n".utf8)

    static func policy(_ text: String = completeEmergencyConfiguration) throws -> EmergencyPolicy {
        try emergencySnapshot(text).emergency
    }

    static let alice = EmergencyCaller(
        user: "alice", addressOfRecord: "sip:alice@pbx.example.com", displayName: "Alice", sourceAddress: "10.20.1.1")

    @Test("classify: 911 bare and behind the access prefix, 933 is a test, urn:service:sos, others are not")
    func classify() throws {
        let policy = try Self.policy()
        #expect(policy.classify("911") == .emergency(number: "911"))
        #expect(policy.classify("9911") == .emergency(number: "911"))
        #expect(policy.classify("sip:9-1-911@pbx.example.com") == .emergency(number: "911"))
        #expect(policy.classify(try SIPURI("urn:service:sos")) == .emergency(number: "911"))
        #expect(policy.classify("933") == .test(number: "933"))
        #expect(policy.classify("4911") == .notEmergency)
        #expect(policy.plan(dialled: "+15125551234", caller: Self.alice, callID: "c1", sdp: Self.sdp, at: Self.now) == nil)
    }

    @Test("RFC 6442: a user with a location gets sip:911@SBC, one PAI with the location's number and a PIDF-LO")
    func userWithLocation() throws {
        let policy = try Self.policy()
        let plan = try #require(policy.plan(dialled: "9911", caller: Self.alice, callID: "abc123", sdp: Self.sdp, at: Self.now))
        #expect(plan.classification == .emergency(number: "911"))
        #expect(plan.resolution.source == .user)
        #expect(plan.resolution.location?.name == "hq-3")
        #expect(plan.source?.description == "udp://203.0.113.10:5060")
        #expect(plan.attemptTimeout == .seconds(3))
        #expect(plan.attempts.map(\.role) == [.primary, .secondary, .lastResort])
        #expect(
            plan.attempts.map(\.requestURI.description) == [
                "sip:911@e911-a.bandwidth.example", "sip:911@192.0.2.20:5080", "sip:911@carrier.example.net",
            ])
        #expect(plan.attempts.map(\.sbc.transport) == ["udp", "udp", "udp"])
        let first = plan.attempts[0]
        let identity = try #require(first.identity)
        #expect(identity.pAssertedIdentity == "<sip:+15125550100@203.0.113.10>")
        #expect(identity.from == "\"Alice\" <sip:+15125550100@203.0.113.10>")
        #expect(!identity.usedFallbackCallbackNumber)
        let headers = plan.headers(for: first)
        #expect(headers.map(\.name) == ["P-Asserted-Identity", "Geolocation", "Geolocation-Routing"])
        #expect(headers.filter { $0.name == "P-Asserted-Identity" }.count == 1)
        #expect(headers[1].value == "<cid:abc123@203.0.113.10>")
        #expect(headers[2].value == "yes")

        let body = try #require(plan.body)
        #expect(body.contentType == "multipart/mixed;boundary=switchboard-e911")
        let text = String(decoding: body.bytes, as: UTF8.self)
        #expect(text.contains("Content-Type: application/sdp\r\n\r\nv=0\r\n"))
        #expect(text.contains("Content-Type: application/pidf+xml\r\nContent-ID: <abc123@203.0.113.10>\r\n"))
        let pidf = try #require(plan.locationObject?.xml)
        #expect(pidf.contains("entity=\"pres:alice@pbx.example.com\""))
        #expect(
            pidf.contains(
                "<ca:country>US</ca:country><ca:A1>TX</ca:A1><ca:A3>Austin</ca:A3><ca:RD>Congress</ca:RD><ca:STS>Ave</ca:STS><ca:HNO>100</ca:HNO><ca:FLR>3</ca:FLR><ca:NAM>Example Corp</ca:NAM><ca:PC>78701</ca:PC><ca:ROOM>301</ca:ROOM>"))

        // The last resort is an ordinary trunk: identity yes, location body no.
        let last = plan.attempts[2]
        #expect(!last.carriesLocation)
        #expect(plan.headers(for: last).map(\.name) == ["P-Asserted-Identity"])

        #expect(plan.notification.callbackNumber == "+15125550100")
        #expect(plan.notification.locationSource == "user")
        #expect(!plan.notification.isTest)
        #expect(plan.notification.location?.contains("Floor 3, Room 301") == true)
        #expect(
            plan.notificationTargets.map(\.description) == [
                "message sip:frontdesk@pbx.example.com", "webhook http://127.0.0.1:8080/e911",
            ])
    }

    @Test("a caller placed by its source network: the endpoint id is the From user, the PAI the location's number")
    func networkAssignedCaller() throws {
        let policy = try Self.policy()
        let bob = EmergencyCaller(user: "bob", addressOfRecord: "sip:bob@pbx.example.com", sourceAddress: "10.20.7.8")
        let plan = try #require(policy.plan(dialled: "911", caller: bob, callID: "net-1", sdp: Self.sdp, at: Self.now))
        #expect(plan.resolution.source == .network)
        #expect(plan.resolution.location?.name == "warehouse")
        let identity = try #require(plan.attempts.first?.identity)
        #expect(identity.from == "<sip:wh-endpoint-7@203.0.113.10>")
        #expect(identity.pAssertedIdentity == "<sip:+15125550102@203.0.113.10>")
        #expect(plan.locationObject?.xml.contains("<ca:A3>Round Rock</ca:A3>") == true)
    }

    @Test("a device assignment beats the user's; an unknown caller gets the default location")
    func precedence() throws {
        let policy = try Self.policy()
        var phone = Self.alice
        phone.devices = [try DeviceKey.mac("00-1a-2b-3c-4d-5e")]
        let plan = try #require(policy.plan(dialled: "911", caller: phone, callID: "d", sdp: nil, at: Self.now))
        #expect(plan.resolution.source == .device)
        #expect(plan.attempts.first?.identity?.pAssertedIdentity == "<sip:+15125550101@203.0.113.10>")
        #expect(plan.locationObject?.deviceID == "mac:001a2b3c4d5e")

        let stranger = EmergencyCaller(user: "zed", addressOfRecord: "sip:zed@pbx.example.com", sourceAddress: "192.0.2.99")
        let fallback = try #require(policy.plan(dialled: "911", caller: stranger, callID: "z", sdp: nil, at: Self.now))
        #expect(fallback.resolution.source == .default)
        #expect(fallback.resolution.location?.name == "hq-lobby")
        // Without an SDP offer the body is the PIDF-LO part alone.
        #expect(String(decoding: fallback.body?.bytes ?? [], as: UTF8.self).contains("application/sdp") == false)
    }

    @Test("933 goes to the E911 SBCs only, never to the last resort, and is marked as a test")
    func testCall() throws {
        let policy = try Self.policy()
        let plan = try #require(policy.plan(dialled: "933", caller: Self.alice, callID: "t", sdp: Self.sdp, at: Self.now))
        #expect(plan.classification == .test(number: "933"))
        #expect(plan.attempts.map(\.requestURI.description) == ["sip:933@e911-a.bandwidth.example", "sip:933@192.0.2.20:5080"])
        #expect(plan.nextAttempt(after: [.rejected(status: 503), .noResponse]) == nil)
        #expect(plan.notification.isTest)
    }

    @Test("failover: 5xx, timeouts and configured statuses move on; busy and answers do not")
    func failover() throws {
        let plan = try #require(
            try Self.policy().plan(dialled: "911", caller: Self.alice, callID: "f", sdp: nil, at: Self.now))
        #expect(plan.nextAttempt(after: [])?.role == .primary)
        #expect(plan.nextAttempt(after: [.rejected(status: 503)])?.role == .secondary)
        #expect(plan.nextAttempt(after: [.rejected(status: 404)])?.role == .secondary)
        #expect(plan.nextAttempt(after: [.noAnswer, .noResponse])?.role == .lastResort)
        #expect(plan.nextAttempt(after: [.rejected(status: 486)]) == nil)
        #expect(plan.nextAttempt(after: [.answered]) == nil)
    }

    @Test("no SBCs: 911 goes to the last resort alone, 933 has no route")
    func lastResortOnly() throws {
        let policy = try Self.policy(
            """
            [sip]
            listen = ["udp://198.51.100.7:5060"]
            [emergency]
            last_resort = "sip:+15125550199@carrier.example.net:5070"
            fallback_callback_number = "+15125550000"
            pai_form = "national"
            """)
        #expect(policy.route == nil)
        let plan = try #require(policy.plan(dialled: "911", caller: Self.alice, callID: "l", sdp: Self.sdp, at: Self.now))
        #expect(plan.attempts.map(\.role) == [.lastResort])
        #expect(plan.attempts.map(\.requestURI.description) == ["sip:+15125550199@carrier.example.net:5070"])
        // Alice has no location and no number of her own: the fallback, ten digits.
        #expect(plan.attempts.first?.identity?.pAssertedIdentity == "<sip:5125550000@198.51.100.7>")
        #expect(plan.attempts.first?.identity?.usedFallbackCallbackNumber == true)
        #expect(plan.body == nil)
        #expect(plan.nextAttempt(after: [.rejected(status: 503)]) == nil)
        let test = try #require(policy.plan(dialled: "933", caller: Self.alice, callID: "t", sdp: nil, at: Self.now))
        #expect(test.attempts.isEmpty)
    }

    @Test("no NANP callback number anywhere: the INVITE carries no P-Asserted-Identity rather than a wrong one")
    func noCallbackNumber() throws {
        let policy = try Self.policy("[emergency.primary]\nhost = \"192.0.2.1\"\n")
        let plan = try #require(policy.plan(dialled: "911", caller: Self.alice, callID: "n", sdp: nil, at: Self.now))
        #expect(plan.attempts.count == 1)
        #expect(plan.attempts[0].identity == nil)
        #expect(plan.headers(for: plan.attempts[0]).isEmpty)
        #expect(plan.notification.callbackNumber == nil)
    }
}
