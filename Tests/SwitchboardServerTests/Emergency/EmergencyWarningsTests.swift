import Foundation
import Testing
@testable import SwitchboardServer

@Suite("[emergency] gaps are warnings")
struct EmergencyWarningsTests {
    @Test("a complete configuration has no warnings")
    func completeHasNone() throws {
        #expect(try warningLines(completeEmergencyConfiguration) == [])
    }

    @Test("the shipped default loads with one warning at [emergency]: E911 is not configured")
    func shippedDefault() throws {
        let snapshot = try ConfigurationLoader().load(.embeddedDefault)
        let lines = DefaultConfiguration.text.split(separator: "\n", omittingEmptySubsequences: false)
        let line = try #require(lines.firstIndex(of: "[emergency]")) + 1
        #expect(
            snapshot.warnings == [
                "<embedded default>:\(line): emergency: E911 is not configured: 911 calls have no route (set [emergency.primary] or last_resort)"
            ])
        #expect(snapshot.summary.hasSuffix(" e911=off"))
    }

    @Test("no SBC, no default location, no floor/room, no callback number: warnings with file, line and key")
    func gapsAreLocated() throws {
        let warnings = try warningLines(
            """
            [emergency]
            last_resort = "sip:911@carrier.example.net"

            [[emergency.location]]
            id = "hq"
            country = "US"
            A1 = "TX"
            A3 = "Austin"
            RD = "Congress"
            HNO = "100"

            [[emergency.location]]
            id = "annex"
            country = "US"
            A3 = "Austin"
            FLR = "2"
            callback_number = "+442079460000"

            [[emergency.assign]]
            user = "alice"
            location = "hq"
            """)
        #expect(
            warnings == [
                "conf/x.toml:1: emergency: no [emergency.primary]: 911 calls go straight to the last resort sip:911@carrier.example.net, and 933 has no route",
                "conf/x.toml:1: emergency: no fallback_callback_number: a caller without a NANP callback number is sent without P-Asserted-Identity",
                "conf/x.toml:1: emergency: no notify_sip or notify_webhooks: nobody on site is told when 911 is dialled (Kari's Law)",
                "conf/x.toml:1: emergency: no default_location: a caller that no [[emergency.assign]] matches is sent without a location",
                "conf/x.toml:4: emergency.location[0]: location \"hq\" has no FLR, ROOM, UNIT, SEAT or LOC (RAY BAUM'S Act dispatchable location)",
                "conf/x.toml:4: emergency.location[0]: location \"hq\" has no callback_number: calls from it carry the caller's own number or fallback_callback_number",
                "conf/x.toml:12: emergency.location[1]: location \"annex\" is not dispatchable, missing A1, RD, HNO",
                "conf/x.toml:12: emergency.location[1]: location \"annex\" is neither assigned nor the default_location",
                "conf/x.toml:17: emergency.location[1].callback_number: location \"annex\": +442079460000 is not a NANP number, calls from it carry fallback_callback_number",
            ])
    }

    @Test("SBCs without a secondary or last resort, leaving from a loopback address")
    func sbcGaps() throws {
        let warnings = try warningLines(
            """
            [emergency]
            fallback_callback_number = "+15125550000"
            notify_sip = ["sip:desk@pbx.example.com"]
            [emergency.primary]
            host = "192.0.2.1"
            """)
        #expect(
            warnings == [
                "conf/x.toml:1: emergency: no last_resort: a 911 call fails when both E911 SBCs fail",
                "conf/x.toml:1: emergency: no default_location: a caller that no [[emergency.assign]] matches is sent without a location",
                "conf/x.toml:1: emergency: emergency calls leave from udp://127.0.0.1:5060, not an address Bandwidth can have on file (set source)",
                "conf/x.toml:4: emergency.primary: no [emergency.secondary]: nothing to fail over to when 192.0.2.1 fails",
            ])
    }

    @Test("a file's snapshot carries its warnings and the E911 summary")
    func snapshotCarriesWarnings() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("sb.toml")
        try "[emergency]\nlast_resort = \"sip:911@192.0.2.9\"\n".write(to: file, atomically: true, encoding: .utf8)
        let snapshot = try ConfigurationLoader().load(.file(file.path))
        #expect(snapshot.warnings.first?.hasPrefix("\(file.path):1: emergency: no [emergency.primary]") == true)
        #expect(snapshot.summary.hasSuffix(" e911=sbc:none,last_resort:192.0.2.9,from:udp://127.0.0.1:5060"))
    }
}
