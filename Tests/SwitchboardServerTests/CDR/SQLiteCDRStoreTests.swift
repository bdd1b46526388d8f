import CallCore
import Foundation
import Routing
import Testing
@testable import SwitchboardServer

@Suite("CDR store (SQLite)")
struct SQLiteCDRStoreTests {
    @Test("a call and its attempts read back exactly as written, after the store is reopened")
    func roundTrip() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let answered = CDRSamples.answered()
        let cancelled = CDRSamples.cancelled()
        let store = try SQLiteCDRStore(directory: directory.path)
        try store.insert([answered, cancelled])
        try store.close()

        let reopened = try SQLiteCDRStore(directory: directory.path, create: false)
        #expect(try reopened.calls(CDRQuery()) == [answered.call, cancelled.call])
        #expect(try reopened.attempts(CDRQuery()) == answered.attempts + cancelled.attempts)
        // 61.2 s billed 60/6 is 66 s at 0.012 per minute: 0.0132.
        #expect(answered.call.duration == 62)
        #expect(answered.call.cost == CallCost(amount: Money(microUnits: 13_200), currency: "USD"))
    }

    @Test("every commit of the writer connection syncs the WAL (synchronous = FULL), so a record survives a crash of the machine")
    func writerSyncsEachCommit() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        #expect(try store.writerPragma("synchronous") == 2)
        try store.insert([CDRSamples.answered()])
        #expect(try store.writerPragma("synchronous") == 2)
    }

    @Test("writing a call again replaces it and its attempts")
    func replace() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        var entry = CDRSamples.answered()
        try store.insert([entry])
        entry.call.status = 500
        entry.attempts.removeLast()
        try store.insert([entry])
        #expect(try store.calls(CDRQuery()) == [entry.call])
        #expect(try store.attempts(CDRQuery()) == entry.attempts)
    }

    @Test("since is inclusive, until exclusive, limit counts rows, oldest first")
    func window() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteCDRStore(directory: directory.path)
        let base = CDRSamples.march1
        let entries = (0..<5).map { CDRSamples.answered(uuid: "call-\($0)", start: base + Double($0) * 60) }
        try store.insert(entries.reversed())
        #expect(try store.calls(CDRQuery(since: base + 60, until: base + 180)).map(\.callUUID) == ["call-1", "call-2"])
        #expect(try store.calls(CDRQuery(since: base + 61)).map(\.callUUID) == ["call-2", "call-3", "call-4"])
        #expect(try store.calls(CDRQuery(limit: 2)).map(\.callUUID) == ["call-0", "call-1"])
        #expect(try store.attempts(CDRQuery(since: base + 240)).map(\.index) == [0, 1])
        #expect(try store.attempts(CDRQuery(since: base + 240)).allSatisfy { $0.callUUID == "call-4" })
    }

    @Test("opening without create fails when there is no database, and creates nothing")
    func missing() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cdr.sqlite").path
        #expect(throws: CDRStoreError.missing(path: path)) { try SQLiteCDRStore(directory: directory.path, create: false) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }
}
