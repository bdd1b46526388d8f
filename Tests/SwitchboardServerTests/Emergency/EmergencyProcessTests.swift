import Foundation
import Testing

/// `switchboard check-config` and `switchboard run` with E911 gaps and errors.
@Suite("switchboard process: [emergency]")
struct EmergencyProcessTests {
    typealias Child = SwitchboardProcessTests.Child

    static let gaps = """
        [sip]
        listen = ["udp://127.0.0.1:0", "tcp://127.0.0.1:0"]
        [emergency]
        last_resort = "sip:911@192.0.2.9"
        [[emergency.location]]
        id = "hq"
        country = "US"
        A1 = "TX"
        A3 = "Austin"
        RD = "Congress"
        HNO = "100"
        callback_number = "+15125550100"
        [[emergency.assign]]
        user = "alice"
        location = "hq"

        """

    @Test("check-config: gaps print as warnings after ok, with file:line: key, and exit 0")
    func checkConfigWarnings() throws {
        let binary = try SwitchboardProcessTests.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Self.gaps.write(to: directory.appendingPathComponent("gaps.toml"), atomically: true, encoding: .utf8)

        let child = try Child(binary, ["check-config", "gaps.toml"], in: directory)
        #expect(child.waitForExit() == 0, "\(child.log)")
        let lines = child.log.split(separator: "\n").map(String.init)
        let ok = try #require(lines.firstIndex(of: "gaps.toml: ok"), "\(child.log)")
        let warnings = lines.filter { $0.hasPrefix("warning: ") }
        #expect(
            warnings == [
                "warning: gaps.toml:3: emergency: no [emergency.primary]: 911 calls go straight to the last resort sip:911@192.0.2.9, and 933 has no route",
                "warning: gaps.toml:3: emergency: no fallback_callback_number: a caller without a NANP callback number is sent without P-Asserted-Identity",
                "warning: gaps.toml:3: emergency: no notify_sip or notify_webhooks: nobody on site is told when 911 is dialled (Kari's Law)",
                "warning: gaps.toml:3: emergency: no default_location: a caller that no [[emergency.assign]] matches is sent without a location",
                "warning: gaps.toml:5: emergency.location[0]: location \"hq\" has no FLR, ROOM, UNIT, SEAT or LOC (RAY BAUM'S Act dispatchable location)",
            ], "\(child.log)")
        #expect(lines.firstIndex { $0.hasPrefix("warning: ") }.map { $0 > ok } == true)
        #expect(child.log.contains("e911=sbc:none,last_resort:192.0.2.9,from:udp://127.0.0.1:0"), "\(child.log)")
    }

    @Test("check-config: an E911 error exits 1 with file:line: key")
    func checkConfigError() throws {
        let binary = try SwitchboardProcessTests.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try (Self.gaps + "[[emergency.assign]]\nnetwork = \"10.0.0.0/33\"\nlocation = \"hq\"\n")
            .write(to: directory.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)

        let child = try Child(binary, ["check-config", "bad.toml"], in: directory)
        #expect(child.waitForExit() == 1)
        #expect(
            child.waitForLine(containing: ["bad.toml:17: emergency.assign[1].network: not a network (address/length): 10.0.0.0/33"]),
            "\(child.log)")
        #expect(!child.log.contains("warning:"), "\(child.log)")
    }

    @Test("run: the gaps are logged at warning level at start and again after a reload")
    func runLogsWarnings() throws {
        let binary = try SwitchboardProcessTests.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("sb.toml")
        try Self.gaps.write(to: file, atomically: true, encoding: .utf8)

        let child = try Child(binary, ["run", "--config", "sb.toml"], in: directory)
        defer { if child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) } }
        #expect(child.waitForLine(containing: [" info switchboard: started "]), "\(child.log)")
        #expect(
            child.waitForLine(containing: [" warning switchboard: config: sb.toml:5: emergency.location[0]: location \"hq\" has no FLR"]),
            "\(child.log)")

        try Self.gaps.replacingOccurrences(of: "HNO = \"100\"\n", with: "HNO = \"100\"\nFLR = \"2\"\n")
            .write(to: file, atomically: true, encoding: .utf8)
        let mark = child.lineCount
        kill(child.process.processIdentifier, SIGHUP)
        #expect(child.waitForLine(containing: ["config reloaded", "version=2"], after: mark), "\(child.log)")
        #expect(
            child.waitForLine(containing: [" warning switchboard: config: sb.toml:3: emergency: no default_location"], after: mark),
            "\(child.log)")
        #expect(!child.log.split(separator: "\n").dropFirst(mark).contains { $0.contains("has no FLR") }, "\(child.log)")

        kill(child.process.processIdentifier, SIGTERM)
        #expect(child.waitForExit() == 0, "\(child.log)")
    }
}
