import CallCore
import Dispatch
import Foundation
import GRDB
import Logging
import Testing
@testable import SwitchboardServer

@Suite("CDR writer: group commit and flush")
struct CDRWriterTests {
    /// Settings whose timer never fires during a test: only batch size and flush commit.
    static let untimed = CDRWriter.Settings(maxDelay: .seconds(3600), maxBatch: 3, retryDelay: .seconds(3600))

    @Test("a full batch commits in one transaction; the rest waits for the next batch or a flush")
    func batching() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        let writer = CDRWriter(store: store, settings: Self.untimed)
        let entries = (0..<4).map { CDRSamples.answered(uuid: "call-\($0)", start: CDRSamples.march1 + Double($0)) }
        for entry in entries {
            writer.record(call: entry.call, attempts: entry.attempts)
        }
        var stats = writer.statistics
        #expect(stats.commits == 1)
        #expect(stats.recorded == 3)
        #expect(stats.pending == 1)
        #expect(try store.calls(CDRQuery()).map(\.callUUID) == ["call-0", "call-1", "call-2"])

        try writer.flush()
        stats = writer.statistics
        #expect(stats.commits == 2)
        #expect(stats.recorded == 4)
        #expect(stats.pending == 0)
        #expect(try store.calls(CDRQuery()) == entries.map(\.call))
        #expect(try store.attempts(CDRQuery()).count == 8)
    }

    @Test("the delay timer commits a batch that never fills")
    func timer() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        let writer = CDRWriter(store: store, settings: CDRWriter.Settings(maxDelay: .milliseconds(1), maxBatch: 100))
        let entry = CDRSamples.cancelled()
        writer.record(call: entry.call, attempts: entry.attempts)
        var committed = false
        for _ in 0..<2000 where !committed {
            committed = writer.statistics.recorded == 1
            if !committed { usleep(5000) }
        }
        #expect(committed)
        #expect(try store.calls(CDRQuery()) == [entry.call])
    }

    @Test("a commit that fails keeps the records; they are written once the store accepts them")
    func failureKeeps() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        let writer = CDRWriter(store: store, settings: Self.untimed, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        // Another connection makes every insert fail, as a full disk would.
        let other = try DatabaseQueue(path: store.path)
        try other.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON call BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        let entry = CDRSamples.answered()
        writer.record(call: entry.call, attempts: entry.attempts)
        #expect(throws: CDRStoreError.self) { try writer.flush() }
        #expect(writer.statistics.failures == 1)
        #expect(writer.statistics.pending == 1)

        try other.write { db in try db.execute(sql: "DROP TRIGGER refuse") }
        try writer.flush()
        #expect(writer.statistics.pending == 0)
        #expect(try store.calls(CDRQuery()) == [entry.call])
        #expect(try store.attempts(CDRQuery()) == entry.attempts)
    }

    @Test("the store keeps at most maxPending calls while it fails, dropping the oldest")
    func bounded() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        let settings = CDRWriter.Settings(maxDelay: .seconds(3600), maxBatch: 2, retryDelay: .seconds(3600), maxPending: 2)
        let writer = CDRWriter(store: store, settings: settings, logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        let other = try DatabaseQueue(path: store.path)
        try other.write { db in
            try db.execute(sql: "CREATE TRIGGER refuse BEFORE INSERT ON call BEGIN SELECT RAISE(ABORT, 'refused'); END")
        }
        for i in 0..<5 {
            let entry = CDRSamples.answered(uuid: "call-\(i)", start: CDRSamples.march1 + Double(i))
            writer.record(call: entry.call, attempts: entry.attempts)
        }
        #expect(throws: CDRStoreError.self) { try writer.flush() }
        #expect(writer.statistics.pending == 2)
        #expect(writer.statistics.dropped == 3)
        try other.write { db in try db.execute(sql: "DROP TRIGGER refuse") }
        try writer.flush()
        #expect(try store.calls(CDRQuery()).map(\.callUUID) == ["call-3", "call-4"])
    }

    /// A participant whose last call ends while it drains, as the SIP service's do.
    struct EndsCallWhileDraining: DrainParticipant {
        let name = "calls"
        let writer: CDRWriter
        let entry: CDREntry

        func drain(until deadline: DispatchTime, done: @escaping @Sendable () -> Void) {
            DispatchQueue.global().async {
                writer.record(call: entry.call, attempts: entry.attempts)
                done()
            }
        }
    }

    @Test("a call that ends during the drain is on disk when the CDR participant is done")
    func drainParticipant() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        let writer = CDRWriter(store: store, settings: Self.untimed)
        let entry = CDRSamples.cancelled()
        let drain = CDRDrain(writer: writer, after: EndsCallWhileDraining(writer: writer, entry: entry))
        let done = DispatchSemaphore(value: 0)
        drain.drain(until: .now() + .seconds(60)) { done.signal() }
        #expect(done.wait(timeout: .now() + .seconds(60)) == .success)
        let reader = try SQLiteCDRStore(directory: directory.path, create: false)
        #expect(try reader.calls(CDRQuery()) == [entry.call])
    }

    @Test("the started server's CDR sink writes cdr.sqlite in data_dir; a record submitted right before the drain is on disk after it")
    func serverDrain() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = directory.appendingPathComponent("data").path
        let file = directory.appendingPathComponent("switchboard.toml")
        try """
            [server]
            shards = 1
            data_dir = "\(data)"
            drain_timeout = 60
            [control]
            socket = "\(directory.appendingPathComponent("ctl").path)"
            [sip]
            listen = ["udp://127.0.0.1:0"]
            """.write(to: file, atomically: true, encoding: .utf8)
        let output = LogOutput { _ in }
        let logger = Logger(label: "switchboard") { SwitchboardLogHandler(label: $0, output: output) }
        let loader = ConfigurationLoader()
        let server = Server(snapshot: try loader.load(.file(file.path)), loader: loader, logOutput: output, logger: logger)
        try server.start()
        defer { server.stop() }
        let sink = try #require(server.cdrSink)
        let entry = CDRSamples.answered()
        sink.record(call: entry.call, attempts: entry.attempts)
        let drained = DispatchSemaphore(value: 0)
        server.drain(reason: "SIGTERM") { drained.signal() }
        #expect(drained.wait(timeout: .now() + .seconds(60)) == .success)

        let reader = try SQLiteCDRStore(directory: data, create: false)
        #expect(try reader.calls(CDRQuery()) == [entry.call])
        #expect(try reader.attempts(CDRQuery()) == entry.attempts)
    }
}
