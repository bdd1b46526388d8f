import Dispatch
import Foundation
import Logging
import Testing
@testable import SwitchboardServer

@Suite("Server lifecycle in process")
struct ServerTests {
    /// A server over a configuration file in a fresh directory, logging into `lines`.
    struct Fixture {
        let directory: URL
        let file: URL
        let server: Server
        let lines: LockedValue<[String]>

        init(_ text: String) throws {
            directory = try makeTemporaryDirectory()
            file = directory.appendingPathComponent("switchboard.toml")
            try text.write(to: file, atomically: true, encoding: .utf8)
            let lines = LockedValue<[String]>([])
            self.lines = lines
            let output = LogOutput { line in lines.withLock { $0.append(line) } }
            let logger = Logger(label: "switchboard") { SwitchboardLogHandler(label: $0, output: output) }
            let loader = ConfigurationLoader()
            let snapshot = try loader.load(.file(file.path))
            server = Server(snapshot: snapshot, loader: loader, logOutput: output, logger: logger)
        }

        func rewrite(_ text: String) throws {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }

        func reload() -> Result<ConfigurationSnapshot, InvalidConfiguration> {
            let result = LockedValue<Result<ConfigurationSnapshot, InvalidConfiguration>?>(nil)
            let done = DispatchSemaphore(value: 0)
            server.reload { outcome in
                result.withLock { $0 = outcome }
                done.signal()
            }
            done.wait()
            return result.current!
        }
    }

    @Test("a valid reload swaps the snapshot and bumps the version")
    func reloadSwaps() throws {
        let fixture = try Fixture("[log]\nlevel = \"info\"\n")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let before = fixture.server.configuration.current
        #expect(before.version == 1)

        try fixture.rewrite("[log]\nlevel = \"debug\"\n[server]\nshards = 3\n")
        let after = try fixture.reload().get()

        #expect(after.version == 2)
        #expect(fixture.server.configuration.current.version == 2)
        #expect(fixture.server.configuration.current.configuration.log.level == .debug)
        #expect(before.configuration.log.level == .info, "a snapshot held by a reader never changes")
        let log = fixture.lines.current.joined()
        #expect(log.contains("config reloaded source=\(fixture.file.path) version=2"))
        #expect(log.contains("takes effect at the next restart key=server.shards"))
    }

    @Test("an invalid reload keeps the snapshot and logs every error with file:line")
    func invalidReloadKeeps() throws {
        let fixture = try Fixture("[log]\nlevel = \"info\"\n")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }

        try fixture.rewrite("[log]\nlevel = \"loud\"\n[server]\nshards = -1\n")
        let result = fixture.reload()

        guard case .failure(let error) = result else {
            Issue.record("reload of an invalid file succeeded")
            return
        }
        #expect(error.errors.count == 2)
        #expect(fixture.server.configuration.current.version == 1)
        #expect(fixture.server.configuration.current.configuration.log.level == .info)
        let log = fixture.lines.current.joined()
        #expect(log.contains("config reload failed, keeping current configuration errors=2"))
        #expect(log.contains("\(fixture.file.path):2: log.level: unknown log level \"loud\""))
        #expect(log.contains("\(fixture.file.path):4: server.shards: -1 is out of range 0...1024"))

        try fixture.rewrite("[log]\nlevel = \"warning\"\n")
        #expect(try fixture.reload().get().version == 2, "versions count successful reloads only")
    }

    @Test("concurrent readers always see a whole snapshot")
    func concurrentReaders() throws {
        let fixture = try Fixture("[server]\nshards = 1\n[sip.limits]\nmax_via = 1\n")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let store = fixture.server.configuration
        let torn = LockedValue(0)
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) {
            for round in 2...50 {
                store.replace { current in
                    var configuration = current.configuration
                    configuration.server.shards = round
                    configuration.sip.limits.maxVia = round
                    return ConfigurationSnapshot(
                        version: current.version + 1, loadedAt: current.loadedAt, source: current.source,
                        configuration: configuration)
                }
            }
        }
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            for _ in 0..<2000 {
                let snapshot = store.current
                let configuration = snapshot.configuration
                if configuration.server.shards != configuration.sip.limits.maxVia
                    || snapshot.version != configuration.server.shards
                {
                    torn.withLock { $0 += 1 }
                }
            }
        }
        group.wait()
        #expect(torn.current == 0)
        #expect(store.current.version == 50)
    }

    /// Finishes when told to, so the test controls when the drain ends.
    struct Participant: DrainParticipant {
        let name = "test calls"
        let started: DispatchSemaphore
        let release: DispatchSemaphore

        func drain(until deadline: DispatchTime, done: @escaping @Sendable () -> Void) {
            started.signal()
            DispatchQueue.global().async {
                release.wait()
                done()
            }
        }
    }

    @Test("drain waits for every participant, then completes once")
    func drainWaits() throws {
        let fixture = try Fixture("[server]\ndrain_timeout = 3600\n")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let completed = DispatchSemaphore(value: 0)
        let completions = LockedValue(0)
        fixture.server.addDrainParticipant(Participant(started: started, release: release))

        fixture.server.drain(reason: "test") {
            completions.withLock { $0 += 1 }
            completed.signal()
        }
        started.wait()
        fixture.server.drain(reason: "again") { completions.withLock { $0 += 100 } }
        #expect(completions.current == 0, "drain must not complete while a participant is busy")
        release.signal()
        completed.wait()

        #expect(completions.current == 1)
        let log = fixture.lines.current.joined()
        #expect(log.contains("draining participants=1 reason=test timeout=3600s"))
        #expect(log.contains("stopped drain=complete"))
    }

    @Test("start creates the data directory")
    func startCreatesDataDirectory() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let dataDirectory = directory.appendingPathComponent("nested/data").path
        let socket = directory.appendingPathComponent("ctl").path
        let fixture = try Fixture(
            "[server]\ndata_dir = \"\(dataDirectory)\"\n[control]\nsocket = \"\(socket)\"\n[sip]\nlisten = [\"udp://127.0.0.1:0\"]\n")
        defer { try? FileManager.default.removeItem(at: fixture.directory) }
        try fixture.server.start()
        defer { fixture.server.stop() }
        var isDirectory: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: dataDirectory, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
        #expect(fixture.lines.current.first?.contains(" info switchboard: started ") == true)
    }
}
