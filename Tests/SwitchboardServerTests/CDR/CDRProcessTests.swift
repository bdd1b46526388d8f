import Foundation
import Testing
@testable import SwitchboardServer

@Suite("switchboard cdr export process")
struct CDRProcessTests {
    typealias Child = SwitchboardProcessTests.Child

    /// Runs `switchboard cdr export ARGUMENTS` in `directory`; its exit status and output.
    static func export(_ arguments: [String], in directory: URL) throws -> (status: Int32?, output: String) {
        let child = try Child(try SwitchboardProcessTests.binary(), ["cdr", "export"] + arguments, in: directory)
        let status = child.waitForExit()
        _ = child.waitForLine(containing: ["\u{4}"])
        return (status, child.log.replacingOccurrences(of: "\u{4}", with: ""))
    }

    @Test("cdr export reads cdr.sqlite in data_dir: --since filters, --attempts and --output write attempts to a file")
    func export() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("records").path
        try "[server]\ndata_dir = \"\(data)\"\n".write(
            to: directory.appendingPathComponent("tmp.toml"), atomically: true, encoding: .utf8)
        let store = try SQLiteCDRStore(directory: data)
        try store.insert([CDRSamples.answered(), CDRSamples.cancelled()])
        try store.close()

        let all = try Self.export(["--config", "tmp.toml"], in: directory)
        #expect(all.status == 0, "\(all.output)")
        let records = CDRExportTests.parseCSV(all.output)
        #expect(records.first == CDRExport.callHeader)
        #expect(records.dropFirst().map { $0[0] } == ["0f8e-answered", "1a2b-cancelled"])

        let recent = try Self.export(["--config", "tmp.toml", "--since", "2025-03-01T14:30:00Z"], in: directory)
        #expect(recent.status == 0, "\(recent.output)")
        #expect(CDRExportTests.parseCSV(recent.output).dropFirst().map { $0[3] } == ["Bob, \"the\" builder"])

        let written = try Self.export(
            ["--config", "tmp.toml", "--attempts", "--until", "2025-03-01T14:30:00Z", "--output", "attempts.csv"], in: directory)
        #expect(written.status == 0, "\(written.output)")
        #expect(written.output == "")
        let text = try String(contentsOf: directory.appendingPathComponent("attempts.csv"), encoding: .utf8)
        let attempts = CDRExportTests.parseCSV(text)
        #expect(attempts.first == CDRExport.attemptHeader)
        #expect(attempts.dropFirst().map { $0[2] } == ["twilio", "vonage"])
    }

    @Test("cdr export fails with a reason on a bad --since and on a data directory without records")
    func failures() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("empty").path
        try "[server]\ndata_dir = \"\(data)\"\n".write(
            to: directory.appendingPathComponent("tmp.toml"), atomically: true, encoding: .utf8)

        let badSince = try Self.export(["--config", "tmp.toml", "--since", "yesterday"], in: directory)
        #expect(badSince.status != 0)
        #expect(badSince.output.contains("--since \"yesterday\" is neither an ISO 8601 time nor a duration"), "\(badSince.output)")

        let missing = try Self.export(["--config", "tmp.toml"], in: directory)
        #expect(missing.status == 1)
        #expect(missing.output.contains("no call record store at \(data)/cdr.sqlite"), "\(missing.output)")
        #expect(!FileManager.default.fileExists(atPath: data))
    }
}
