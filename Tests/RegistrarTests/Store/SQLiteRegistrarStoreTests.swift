import Foundation
import GRDB
import SIPCore
import Testing
@testable import Registrar

private typealias R = RegisterRequests

@Suite("SQLite registrar store") struct SQLiteRegistrarStoreTests {
    static let alice = UserRecord(
        username: "alice", realm: "example.com", ha1: [.sha256: String(repeating: "a", count: 64), .md5: String(repeating: "b", count: 32)],
        note: "front desk")

    @Test("RFC 3261 10.3: bindings and users survive a store dropped without close, with every field intact")
    func survivesReopen() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let r = try R.process(
            R.make(
                contacts: ["<sip:a@10.0.0.5;transport=tcp>;q=0.7;+sip.instance=\"<urn:uuid:1>\";reg-id=2"], vias: 2,
                extra: ["Path: <sip:edge.example.com;lr;ob>", "Supported: outbound, gruu"]))
        do {
            let store = try SQLiteRegistrarStore(directory: dir.path)
            try store.apply(r.changes)
            try store.putUser(Self.alice)
        }
        let reopened = try SQLiteRegistrarStore(directory: dir.path)
        #expect(try reopened.loadBindings(now: R.now) == r.bindings)
        #expect(try reopened.users() == [Self.alice])
        #expect(try reopened.user(username: "alice", realm: "example.com") == Self.alice)
        #expect(try reopened.user(username: "bob", realm: "example.com") == nil)
    }

    @Test("RFC 3261 10.3: a second store opened while the first is still open (no cleanup) sees every commit")
    func openTwice() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = try SQLiteRegistrarStore(directory: dir.path)
        let r = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>"]))
        try first.apply(r.changes)
        let second = try SQLiteRegistrarStore(directory: dir.path)
        #expect(try second.loadBindings(now: R.now) == r.bindings)
        withExtendedLifetime(first) {}
    }

    @Test("RFC 3261 10.2.4: a refresh updates the stored binding's expiry, CSeq and time; one not stored is inserted whole")
    func refreshInPlace() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        let first = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>;+sip.instance=\"<urn:uuid:1>\""], extra: ["Path: <sip:edge.example.com;lr>"]))
        try store.apply(first.changes)
        let refresh = try R.process(
            R.make(cseq: 2, contacts: ["<sip:a@10.0.0.5>;+sip.instance=\"<urn:uuid:1>\""], extra: ["Path: <sip:edge.example.com;lr>"]),
            current: first.bindings, now: R.now + 600)
        #expect(refresh.changes.count == 1)
        guard case .refresh = refresh.changes[0] else {
            Issue.record("expected a refresh, got \(refresh.changes)")
            return
        }
        try store.apply(refresh.changes)
        #expect(try store.loadBindings(now: R.now + 600) == refresh.bindings)
        let other = try SQLiteRegistrarStore(directory: dir.path)
        let elsewhere = try R.process(R.make(to: "<sip:bob@example.com>", contacts: ["<sip:b@10.0.0.6>"]))
        try other.apply(elsewhere.bindings.map(BindingChange.refresh))
        #expect(try other.loadBindings(now: R.now + 600).count == 2)
        #expect(try other.loadBindings(now: R.now + 600).contains(elsewhere.bindings[0]))
    }

    @Test("RFC 3261 10.2.1: bindings lapsed by load time are purged, not loaded")
    func expiredPurgedOnLoad() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        let r = try R.process(R.make(contacts: ["<sip:short@10.0.0.5>;expires=60", "<sip:long@10.0.0.5>;expires=3600"]))
        try store.apply(r.changes)
        try store.close()
        let reopened = try SQLiteRegistrarStore(directory: dir.path)
        let live = try reopened.loadBindings(now: R.now + 60)
        #expect(live.map(\.contactURI.description) == ["sip:long@10.0.0.5"])
        #expect(try reopened.loadBindings(now: R.now).count == 1)
    }

    @Test("RFC 3261 10.3: a store created by schema 2 loses the expiry index a refresh rewrote, and keeps storing and loading bindings")
    func migratesFromExpiryIndex() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let r = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>"]))
        do {
            let old = try DatabaseQueue(path: dir.path + "/" + SQLiteRegistrarStore.fileName)
            try SQLiteRegistrarStore.migrator.migrate(old, upTo: "2 user change log")
            #expect(try old.read { try Self.indexes(on: "binding", in: $0) } == ["binding_expires_at"])
            try old.close()
        }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        try store.apply(r.changes)
        try store.close()
        let old = try DatabaseQueue(path: dir.path + "/" + SQLiteRegistrarStore.fileName)
        #expect(try old.read { try Self.indexes(on: "binding", in: $0) } == [])
        try old.close()
        let reopened = try SQLiteRegistrarStore(directory: dir.path)
        #expect(try reopened.loadBindings(now: R.now) == r.bindings)
    }

    private static func indexes(on table: String, in db: Database) throws -> [String] {
        try String.fetchAll(
            db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL ORDER BY name",
            arguments: [table])
    }

    @Test("RFC 3261 10.3 step 8: a commit writes the WAL without waiting for the disk (synchronous = NORMAL); sync() is what makes it durable")
    func writerLeavesSyncToSync() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        #expect(try store.writerPragma("synchronous") == 1)
        #expect(try store.writerPragma("cache_size") == -SQLiteRegistrarStore.writerCacheKiB)
        let r = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>"]))
        try store.apply(r.changes)
        try store.sync()
        // The WAL is where the commit went, and what sync() flushed.
        let wal = try FileManager.default.attributesOfItem(atPath: store.path + "-wal")
        #expect((wal[.size] as? Int ?? 0) > 0)
        #expect(try SQLiteRegistrarStore(directory: dir.path).loadBindings(now: R.now) == r.bindings)
    }

    @Test("RFC 3261 10.2.2: removals and Contact * are persisted")
    func removals() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        let r = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>", "<sip:b@10.0.0.5>"]))
        try store.apply(r.changes)
        let star = try R.process(R.make(callID: "x", contacts: ["*"], expires: 0), current: r.bindings)
        try store.apply(star.changes)
        #expect(try store.loadBindings(now: R.now).isEmpty)
    }

    @Test("RFC 7616 3.4.2: a user is replaced with all its HA1s, and removed")
    func usersReplaceRemove() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        try store.putUser(Self.alice)
        let bob = UserRecord(username: "bob", realm: "example.com", ha1: [.sha512_256: String(repeating: "c", count: 64)])
        try store.putUser(bob)
        let newAlice = UserRecord(username: "alice", realm: "example.com", ha1: [.sha512_256: String(repeating: "d", count: 64)])
        try store.putUser(newAlice)
        #expect(try store.users() == [newAlice, bob])
        #expect(try store.removeUser(username: "alice", realm: "example.com"))
        #expect(try !store.removeUser(username: "alice", realm: "example.com"))
        #expect(try store.users() == [bob])
    }

    @Test("RFC 3261 10.3: a store that cannot write fails with a typed error that becomes 500")
    func closedStoreFails() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        try store.close()
        let r = try R.process(R.make(contacts: ["<sip:a@10.0.0.5>"]))
        #expect(throws: RegistrarStoreError.self) { try store.apply(r.changes) }
        do {
            try store.apply(r.changes)
        } catch {
            #expect(error.status == 500)
        }
    }

    @Test("RFC 3261 10.3: a data directory that cannot be created fails to open with a typed error")
    func unopenable() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let file = dir.path + "/plain-file"
        #expect(FileManager.default.createFile(atPath: file, contents: Data()))
        #expect(throws: RegistrarStoreError.self) { try SQLiteRegistrarStore(directory: file + "/sub") }
    }
}
