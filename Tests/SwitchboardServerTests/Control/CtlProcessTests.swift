import Foundation
import Testing

@Suite("switchboard ctl process")
struct CtlProcessTests {
    typealias Child = SwitchboardProcessTests.Child

    /// Runs `switchboard ctl ARGUMENTS` in `directory`; its exit status and output.
    static func ctl(_ arguments: [String], in directory: URL) throws -> (status: Int32?, output: String) {
        let child = try Child(try SwitchboardProcessTests.binary(), ["ctl"] + arguments, in: directory)
        let status = child.waitForExit()
        _ = child.waitForLine(containing: ["\u{4}"])
        return (status, child.log.replacingOccurrences(of: "\u{4}", with: ""))
    }

    @Test("ctl status and reload against a running server; a broken file fails the reload with file:line and the server runs on")
    func statusAndReload() throws {
        let binary = try SwitchboardProcessTests.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tmp.toml")
        let listen = "[sip]\nlisten = [\"udp://127.0.0.1:0\", \"tcp://127.0.0.1:0\"]\n"
        try (listen + "[log]\nlevel = \"info\"\n").write(to: file, atomically: true, encoding: .utf8)

        let notRunning = try Self.ctl(["status"], in: directory)
        #expect(notRunning.status == 1)
        #expect(notRunning.output.contains("switchboard is not running: no server on control socket ./data/switchboard.ctl"), "\(notRunning.output)")

        let server = try Child(binary, ["run", "--config", "tmp.toml"], in: directory)
        defer { if server.process.isRunning { kill(server.process.processIdentifier, SIGKILL) } }
        #expect(server.waitForLine(containing: ["started", "control=./data/switchboard.ctl"]), "\(server.log)")

        let status = try Self.ctl(["status"], in: directory)
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("config_version: 1\n"), "\(status.output)")
        #expect(status.output.contains("config_source: tmp.toml\n"), "\(status.output)")
        // kernel_forwarding = "auto": active where the kernel allows, else unavailable; no call, no rule.
        let kernel = ["media_kernel_forwarding: active\n", "media_kernel_forwarding: unavailable\n"]
        #expect(kernel.contains { status.output.contains($0) }, "\(status.output)")
        #expect(status.output.contains("media_kernel_rules: 0\n"), "\(status.output)")

        try (listen + "[log]\nlevel = \"debug\"\n").write(to: file, atomically: true, encoding: .utf8)
        let reload = try Self.ctl(["reload", "--config", "tmp.toml"], in: directory)
        #expect(reload.status == 0, "\(reload.output)")
        #expect(reload.output == "ok version=2\n")
        #expect(try Self.ctl(["status", "--socket", "data/switchboard.ctl"], in: directory).output.contains("config_version: 2\n"))

        try (listen + "[log]\nlevel = \"loud\"\n").write(to: file, atomically: true, encoding: .utf8)
        let broken = try Self.ctl(["reload"], in: directory)
        #expect(broken.status == 1)
        #expect(broken.output.contains("error: configuration invalid, version 2 stays in force"), "\(broken.output)")
        #expect(broken.output.contains(#"tmp.toml:4: log.level: unknown log level "loud""#), "\(broken.output)")
        #expect(server.process.isRunning)
        #expect(try Self.ctl(["status"], in: directory).output.contains("config_version: 2\n"))

        kill(server.process.processIdentifier, SIGTERM)
        #expect(server.waitForExit() == 0, "\(server.log)")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("data/switchboard.ctl").path))
    }
}
