import Registrar
import Synchronization

/// A registrar store held in memory: bindings by AOR and key, users in a
/// table. The registrar under measurement writes through it on the writer's
/// queue; keeping it in memory leaves SQLite's cost (paid on that queue, not
/// on the receive thread) out of the figures.
final class MemoryRegistrarStore: RegistrarStore {
    private struct Contents {
        var bindings: [AddressOfRecord: [String: Binding]] = [:]
        var users: [UserTable.Key: UserRecord] = [:]
    }

    private let contents = Mutex(Contents())

    init(users: [UserRecord]) {
        contents.withLock { c in
            for user in users { c.users[UserTable.Key(username: user.username, realm: user.realm)] = user }
        }
    }

    func loadBindings(now: Double) throws(RegistrarStoreError) -> [Binding] {
        contents.withLock { c in c.bindings.values.flatMap { $0.values.filter { $0.isLive(at: now) } } }
    }

    func apply(_ changes: [BindingChange]) throws(RegistrarStoreError) {
        contents.withLock { c in
            for change in changes {
                switch change {
                case .upsert(let b), .refresh(let b): c.bindings[b.aor, default: [:]][b.key] = b
                case .remove(let aor, let key): c.bindings[aor]?[key] = nil
                }
            }
        }
    }

    /// Memory has no disk to wait for: what `apply` holds is all there is.
    func sync() throws(RegistrarStoreError) {}

    func putUser(_ user: UserRecord) throws(RegistrarStoreError) {
        contents.withLock { $0.users[UserTable.Key(username: user.username, realm: user.realm)] = user }
    }

    func removeUser(username: String, realm: String) throws(RegistrarStoreError) -> Bool {
        contents.withLock { $0.users.removeValue(forKey: UserTable.Key(username: username, realm: realm)) != nil }
    }

    func users() throws(RegistrarStoreError) -> [UserRecord] {
        contents.withLock { c in c.users.values.sorted { ($0.realm, $0.username) < ($1.realm, $1.username) } }
    }

    func user(username: String, realm: String) throws(RegistrarStoreError) -> UserRecord? {
        contents.withLock { $0.users[UserTable.Key(username: username, realm: realm)] }
    }

    func userSnapshot() throws(RegistrarStoreError) -> (users: UserTable, cursor: Int64) {
        (UserTable(try users()), 0)
    }

    /// Users change only through `putUser`/`removeUser` here, before the registrar starts.
    func userChanges(after cursor: Int64) throws(RegistrarStoreError) -> UserChanges {
        UserChanges(cursor: cursor)
    }

    func pruneUserChanges(through cursor: Int64) throws(RegistrarStoreError) {}
}
