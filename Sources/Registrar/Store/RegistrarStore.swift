/// Durable bindings and users. The embedded implementation is
/// `SQLiteRegistrarStore`; a shared one (PostgreSQL) implements the same
/// protocol. Calls block: make them from a store queue (as `BatchedWriter`
/// does) or at start-up, never from a shard queue.
public protocol RegistrarStore: Sendable {
    /// Every binding still live at `now`; lapsed ones are deleted on the way.
    func loadBindings(now: Double) throws(RegistrarStoreError) -> [Binding]
    /// Applies the changes in order, in one transaction: all or none. Once
    /// it returns they are committed (other connections see them); they
    /// survive a crash of the machine once a `sync()` begun after it returns.
    func apply(_ changes: [BindingChange]) throws(RegistrarStoreError)
    /// Makes every change applied before the call durable.
    func sync() throws(RegistrarStoreError)

    /// Adds the user or replaces the one with the same username and realm.
    func putUser(_ user: UserRecord) throws(RegistrarStoreError)
    /// Removes a user; false if there was none.
    @discardableResult
    func removeUser(username: String, realm: String) throws(RegistrarStoreError) -> Bool
    /// All users, ordered by realm then username.
    func users() throws(RegistrarStoreError) -> [UserRecord]
    func user(username: String, realm: String) throws(RegistrarStoreError) -> UserRecord?

    /// All users, and the position of the user change log as of the same read.
    func userSnapshot() throws(RegistrarStoreError) -> (users: UserTable, cursor: Int64)
    /// The users changed since `cursor` by any process, with their records now.
    func userChanges(after cursor: Int64) throws(RegistrarStoreError) -> UserChanges
    /// Forgets the change log up to `cursor`, once the reader has applied it.
    func pruneUserChanges(through cursor: Int64) throws(RegistrarStoreError)
}
