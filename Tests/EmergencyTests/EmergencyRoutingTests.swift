import Routing
import Foundation
import SIPCore
import Testing

@testable import Emergency

@Suite("Bandwidth E911 routing and caller identity") struct EmergencyRoutingTests {
    static func plan(lastResort: Bool = true) throws -> EmergencyRoutePlan {
        EmergencyRoutePlan(
            primary: try EmergencySBC(host: "e911-a.example.net"),
            secondary: try EmergencySBC(host: "e911-b.example.net"),
            lastResort: lastResort
                ? .init(trunk: "twilio", next: try EmergencySBC(host: "edge.example.com", port: 5061, transport: "tls"), dialledNumber: "911")
                : nil,
            attemptTimeout: .seconds(3))
    }

    static let caller = EmergencyCaller(user: "alice", addressOfRecord: "sip:alice@pbx.example.com", displayName: "Alice \"A\" Smith")

    static func resolution(callback: String?, endpoint: String? = nil) throws -> LocationResolution {
        let loc = EmergencyLocation(
            name: "hq", civicAddress: CivicAddress([.country: "US"]),
            callbackNumber: try callback.map { try E164Number(validating: $0) }, dynamicLocationEndpointID: endpoint)
        return LocationResolution(location: loc, source: .user, callbackNumber: loc.callbackNumber, gaps: [])
    }

    @Test("RFC 3325 9.1: exactly one PAI <sip:+1NXXNXXXXXX@host>; Request-URI sip:911@sbc")
    func paiForm() throws {
        let id = EmergencyCallerIdentity(
            serviceNumber: "911", sbc: try EmergencySBC(host: "e911-a.example.net"),
            resolution: try Self.resolution(callback: "+1 (212) 555-0101"), caller: Self.caller,
            identityHost: "203.0.113.10", fallbackCallbackNumber: try E164Number(validating: "+12125550100"))
        #expect(id.pAssertedIdentity == "<sip:+12125550101@203.0.113.10>")
        #expect(id.requestURI.description == "sip:911@e911-a.example.net")
        #expect(id.from == "\"Alice \\\"A\\\" Smith\" <sip:+12125550101@203.0.113.10>")
        #expect(!id.usedFallbackCallbackNumber)
        let parsed = try NameAddress(id.pAssertedIdentity)
        #expect(parsed.uri.user == "+12125550101")
        #expect(try NameAddress(id.from, header: .from).uri.host == "203.0.113.10")
    }

    @Test("Dynamic Location Routing: the endpoint id is the From user, the PAI keeps the callback number")
    func dynamicEndpointInFrom() throws {
        let id = EmergencyCallerIdentity(
            serviceNumber: "933", sbc: try EmergencySBC(host: "e911-b.example.net", port: 5070),
            resolution: try Self.resolution(callback: "+12125550101", endpoint: "ep 42"),
            caller: EmergencyCaller(user: "bob", addressOfRecord: "sip:bob@pbx"),
            identityHost: "sbc.example.com", fallbackCallbackNumber: try E164Number(validating: "+12125550100"), numberForm: .national)
        #expect(id.from == "<sip:ep%2042@sbc.example.com>")
        #expect(id.pAssertedIdentity == "<sip:2125550101@sbc.example.com>")
        #expect(id.requestURI.description == "sip:933@e911-b.example.net:5070")
    }

    @Test("no NANP callback number: the trunk's fallback number, flagged")
    func fallbackCallback() throws {
        for r in [try Self.resolution(callback: nil), try Self.resolution(callback: "+442071234567")] {
            let id = EmergencyCallerIdentity(
                serviceNumber: "911", sbc: try EmergencySBC(host: "e911-a.example.net"), resolution: r,
                caller: Self.caller, identityHost: "h", fallbackCallbackNumber: try E164Number(validating: "+12125550100"))
            #expect(id.pAssertedIdentity == "<sip:+12125550100@h>")
            #expect(id.usedFallbackCallbackNumber)
        }
    }

    @Test("E.164 numbers: + and 1-15 digits, not starting with 0; NANP needs N in area code and exchange")
    func e164() throws {
        #expect(try E164Number(validating: "+1-212-555-0101").isNANP)
        #expect(try !E164Number(validating: "+11125550101").isNANP)
        #expect(try !E164Number(validating: "+12120550101").isNANP)
        #expect(throws: EmergencyConfigurationError.self) { try E164Number(validating: "2125550101") }
        #expect(throws: EmergencyConfigurationError.self) { try E164Number(validating: "+0123") }
        #expect(throws: EmergencyConfigurationError.self) { try E164Number(validating: "+1234567890123456") }
    }

    @Test("CARRIERS E911: primary, secondary, then last resort; 933 never goes to the last resort")
    func targetOrder() throws {
        let p = try Self.plan()
        let targets = p.targets(for: .emergency(number: "911"))
        #expect(targets.map(\.role) == [.primary, .secondary, .lastResort])
        #expect(targets[2].sbc.transport == "tls")
        #expect(p.targets(for: .test(number: "933")).map(\.role) == [.primary, .secondary])
        #expect(p.targets(for: .notEmergency).isEmpty)
    }

    @Test(
        "CARRIERS E911: fail over on no answer, 5xx, timeout; not on answer, progress or 4xx",
        arguments: [
            (EmergencyAttemptOutcome.noResponse, true), (.noAnswer, true), (.transportFailure, true),
            (.rejected(status: 503), true), (.rejected(status: 500), true), (.rejected(status: 408), true),
            (.rejected(status: 404), false), (.rejected(status: 603), false), (.answered, false),
            (.endedAfterProgress(status: 487), false), (.cancelledByCaller, false),
        ])
    func failover(outcome: EmergencyAttemptOutcome, fails: Bool) throws {
        #expect(try Self.plan().failsOver(outcome) == fails)
    }

    @Test("next target walks the plan and stops on an answer or at the end")
    func nextTarget() throws {
        let p = try Self.plan(lastResort: false)
        let e = EmergencyClassification.emergency(number: "911")
        #expect(p.nextTarget(for: e, after: [])?.role == .primary)
        #expect(p.nextTarget(for: e, after: [.noResponse])?.role == .secondary)
        #expect(p.nextTarget(for: e, after: [.noResponse, .rejected(status: 503)]) == nil)
        #expect(p.nextTarget(for: e, after: [.answered]) == nil)
    }

    @Test("SBC hosts are validated as SIP hosts; IPv6 is bracketed")
    func sbcHosts() throws {
        #expect(try EmergencySBC(host: "2001:db8::5").requestURI(serviceNumber: "911").description == "sip:911@[2001:db8::5]")
        #expect(throws: EmergencyConfigurationError.invalidHost("bad host")) { try EmergencySBC(host: "bad host") }
    }
}

@Suite("E911 SBC configuration") struct EmergencySBCDecodingTests {
    @Test("decoding an SBC validates its host and defaults to UDP 5060")
    func decoding() throws {
        let ok = try JSONDecoder().decode(EmergencySBC.self, from: Data(#"{"host":"e911-a.example.net"}"#.utf8))
        #expect(ok.port == 5060 && ok.transport == "udp")
        #expect(throws: EmergencyConfigurationError.invalidHost("a b")) {
            try JSONDecoder().decode(EmergencySBC.self, from: Data(#"{"host":"a b"}"#.utf8))
        }
    }
}
