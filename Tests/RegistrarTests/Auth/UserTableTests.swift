import Testing
@testable import Registrar

@Suite("User table") struct UserTableTests {
    static let alice = UserRecord(
        username: "alice", realm: "example.com",
        ha1: HA1.all(username: "alice", realm: "example.com", password: "pw"), note: "front desk")

    @Test("RFC 7616 3.4.2: records come back exactly as stored, every algorithm's HA1 included")
    func roundTrip() {
        // An HA1 that is not lowercase hex (hand-edited store) is kept as it is.
        let odd = UserRecord(username: "bob", realm: "example.com", ha1: [.md5: "NOT-HEX", .sha256: String(repeating: "ab", count: 32)])
        let other = UserRecord(username: "alice", realm: "other.example", ha1: [.sha512_256: String(repeating: "0f", count: 32)])
        let table = UserTable([Self.alice, odd, other])
        #expect(table.count == 3)
        #expect(table.user(username: "alice", realm: "example.com") == Self.alice)
        #expect(table.user(username: "bob", realm: "example.com") == odd)
        #expect(table.user(username: "alice", realm: "other.example") == other)
        #expect(table.user(username: "bob", realm: "other.example") == nil)
    }

    @Test("RFC 7616 3.4.2: changes replace and remove users; the count follows")
    func changes() {
        var table = UserTable([Self.alice])
        let newAlice = UserRecord(username: "alice", realm: "example.com", ha1: [.md5: String(repeating: "1", count: 32)])
        table.apply(UserChanges(cursor: 1, users: [UserTable.Key(username: "alice", realm: "example.com"): newAlice]))
        #expect(table.count == 1)
        #expect(table.user(username: "alice", realm: "example.com") == newAlice)
        table.apply(
            UserChanges(
                cursor: 2,
                users: [
                    UserTable.Key(username: "alice", realm: "example.com"): Optional<UserRecord>.none,
                    UserTable.Key(username: "ghost", realm: "example.com"): Optional<UserRecord>.none,
                ]))
        #expect(table.count == 0)
        #expect(table == UserTable())
    }
}
