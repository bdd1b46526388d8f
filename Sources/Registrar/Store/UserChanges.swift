/// The users added, changed or removed in the store since a cursor of its
/// user change log, with each one's record as it is now, so a registrar
/// holding a `UserTable` can follow changes made by any process.
public struct UserChanges: Sendable, Equatable {
    /// The position in the change log this read reached; the next read starts after it.
    public var cursor: Int64
    /// Every changed user's record now; nil when the user no longer exists.
    public var users: [UserTable.Key: UserRecord?]

    public init(cursor: Int64, users: [UserTable.Key: UserRecord?] = [:]) {
        self.cursor = cursor
        self.users = users
    }
}
