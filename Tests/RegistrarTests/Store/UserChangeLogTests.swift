import Foundation
import Testing
@testable import Registrar

@Suite("User change log: a registrar follows users another process edits")
struct UserChangeLogTests {
    static let realm = "example.com"

    static func user(_ name: String, _ fill: Character) -> UserRecord {
        UserRecord(username: name, realm: realm, ha1: [.md5: String(repeating: fill, count: 32)])
    }

    static func key(_ name: String) -> UserTable.Key { UserTable.Key(username: name, realm: realm) }

    @Test("RFC 7616 3.4.2: users added, replaced and removed through another connection are read back with their records now")
    func changesFromAnotherConnection() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let server = try SQLiteRegistrarStore(directory: dir.path)
        try server.putUser(Self.user("alice", "a"))
        let snapshot = try server.userSnapshot()
        #expect(snapshot.users == UserTable([Self.user("alice", "a")]))
        #expect(try server.userChanges(after: snapshot.cursor) == UserChanges(cursor: snapshot.cursor))

        // `switchboard user add|remove` opens its own store on the same file.
        let command = try SQLiteRegistrarStore(directory: dir.path)
        try command.putUser(Self.user("bob", "b"))
        try command.putUser(Self.user("alice", "c"))
        let first = try server.userChanges(after: snapshot.cursor)
        #expect(first.cursor > snapshot.cursor)
        #expect(first.users == [Self.key("bob"): Self.user("bob", "b"), Self.key("alice"): Self.user("alice", "c")])

        try command.removeUser(username: "bob", realm: Self.realm)
        let second = try server.userChanges(after: first.cursor)
        #expect(second.cursor > first.cursor)
        #expect(second.users == [Self.key("bob"): Optional<UserRecord>.none])

        var table = snapshot.users
        table.apply(first)
        table.apply(second)
        #expect(table.user(username: "alice", realm: Self.realm) == Self.user("alice", "c"))
        #expect(table.user(username: "bob", realm: Self.realm) == nil)
        #expect(table.count == 1)
    }

    @Test("a pruned log keeps its cursor: later changes are still seen, earlier ones are gone")
    func prune() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let store = try SQLiteRegistrarStore(directory: dir.path)
        try store.putUser(Self.user("alice", "a"))
        let changes = try store.userChanges(after: 0)
        try store.pruneUserChanges(through: changes.cursor)
        #expect(try store.userChanges(after: 0) == UserChanges(cursor: 0))
        #expect(try store.userSnapshot().cursor == 0)
        try store.putUser(Self.user("bob", "b"))
        let later = try store.userChanges(after: changes.cursor)
        #expect(later.cursor > changes.cursor)
        #expect(later.users == [Self.key("bob"): Self.user("bob", "b")])
    }
}
