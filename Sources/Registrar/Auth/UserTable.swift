/// Every user who may authenticate, held in memory so that checking
/// credentials never reads the store on a shard's queue. Loaded whole when
/// the registrar starts, then kept current from the store's user change log
/// (`UserChanges`), which also records what `switchboard user add|remove`
/// writes from another process.
///
/// A value: its owner confines it (the registrar keeps it behind its lock).
public struct UserTable: Sendable, Equatable {
    /// A user's identity: digest credentials are per realm (RFC 7616 section 3.4.2).
    public struct Key: Sendable, Hashable {
        public var username: String
        public var realm: String

        public init(username: String, realm: String) {
            self.username = username
            self.realm = realm
        }
    }

    private var records: [Key: UserRecord]

    public init(_ users: some Sequence<UserRecord> = []) {
        records = [:]
        for user in users { records[Key(username: user.username, realm: user.realm)] = user }
    }

    /// Users held.
    public var count: Int { records.count }

    public func user(username: String, realm: String) -> UserRecord? {
        records[Key(username: username, realm: realm)]
    }

    /// Applies changes read from the store: each changed user's record, or its removal.
    public mutating func apply(_ changes: UserChanges) {
        for (key, record) in changes.users { records[key] = record }
    }
}
