import Routing
import Emergency
import SIPCore
import Testing
@testable import SwitchboardServer

@Suite("[emergency] decoding")
struct EmergencySettingsTests {
    @Test("every key of a complete E911 configuration is decoded")
    func decodesEverything() throws {
        let settings = try ConfigurationLoader().decode(completeEmergencyConfiguration, file: "conf/x.toml").emergency
        #expect(settings.country == .us)
        #expect(settings.numberPlan == .unitedStates)
        #expect(settings.primary == (try EmergencySBC(host: "e911-a.bandwidth.example")))
        #expect(settings.secondary == (try EmergencySBC(host: "192.0.2.20", port: 5080)))
        #expect(settings.source?.description == "udp://203.0.113.10:5060")
        #expect(settings.attemptTimeout == .seconds(3))
        #expect(settings.failoverStatuses == [408, 404])
        #expect(settings.lastResort?.next == (try EmergencySBC(host: "carrier.example.net")))
        #expect(settings.lastResort?.dialledNumber == "911")
        #expect(settings.fallbackCallbackNumber == (try E164Number(validating: "+15125550000")))
        #expect(settings.numberForm == .e164)
        #expect(settings.sendsLocationObject)
        #expect(settings.callbackWindow == .seconds(45 * 60))
        #expect(settings.notifySIP.map(\.description) == ["sip:frontdesk@pbx.example.com"])
        #expect(settings.notifyWebhooks == [EmergencyWebhook(host: "127.0.0.1", port: 8080, target: "/e911")])
        #expect(settings.recordRingCapacity == 50)
        #expect(settings.defaultLocation == "hq-lobby")
        #expect(settings.locations.map(\.name) == ["hq-3", "hq-lobby", "warehouse"])
        let hq = try #require(settings.location("hq-3"))
        #expect(hq.civicAddress[.country] == "US")
        #expect(hq.civicAddress[.FLR] == "3")
        #expect(hq.civicAddress[.ROOM] == "301")
        #expect(hq.civicAddress[.NAM] == "Example Corp")
        #expect(hq.callbackNumber == (try E164Number(validating: "+15125550100")))
        #expect(settings.location("warehouse")?.dynamicLocationEndpointID == "wh-endpoint-7")
        #expect(
            settings.assignments == [
                EmergencyAssignment(subject: .user("alice"), location: "hq-3"),
                EmergencyAssignment(subject: .network(try IPNetwork("10.20.0.0/16")), location: "warehouse"),
                EmergencyAssignment(subject: .device(try DeviceKey.mac("001a2b3c4d5e")), location: "hq-lobby"),
            ])
    }

    @Test("no [emergency] table: US plan, no SBCs, 4 s, [408], e164, PIDF-LO on, 30 min, 1000 records")
    func defaults() throws {
        let settings = try ConfigurationLoader().decode("", file: "conf/x.toml").emergency
        #expect(settings == EmergencySettings())
        #expect(!settings.isConfigured)
        #expect(settings.numberPlan.testNumbers == ["933"])
        #expect(settings.attemptTimeout == .seconds(4))
        #expect(settings.failoverStatuses == [408])
        #expect(settings.callbackWindow == .seconds(1800))
        #expect(settings.recordRingCapacity == 1000)
        let shipped = try ConfigurationLoader().load(.embeddedDefault).configuration.emergency
        #expect(shipped == settings)
    }

    @Test("country preset, extra numbers, test numbers and access prefixes")
    func numberPlan() throws {
        let settings = try ConfigurationLoader().decode(
            """
            [emergency]
            country = "gb"
            emergency_numbers = ["101"]
            test_numbers = ["9999"]
            access_prefixes = ["8"]
            pai_form = "national"
            """, file: "conf/x.toml"
        ).emergency
        #expect(settings.numberPlan.emergencyNumbers == ["999", "112", "101"])
        #expect(settings.numberPlan.testNumbers == ["9999"])
        #expect(settings.numberPlan.accessPrefixes == ["8"])
        #expect(settings.numberForm == .national)
        #expect(settings.numberPlan.classify("8999") == .emergency(number: "999"))
        #expect(settings.numberPlan.classify("9999") == .test(number: "9999"))
    }

    @Test("a last resort to a PSAP's line over sips keeps its number, port and TLS")
    func lastResortURI() throws {
        let settings = try ConfigurationLoader().decode(
            "[emergency]\nlast_resort = \"sips:+15125550199@[2001:db8::5]\"\n", file: "conf/x.toml"
        ).emergency
        let lastResort = try #require(settings.lastResort)
        #expect(lastResort.dialledNumber == "+15125550199")
        #expect(lastResort.next == (try EmergencySBC(host: "2001:db8::5", port: 5061, transport: "tls")))
    }
}
