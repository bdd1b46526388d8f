import Dispatch
import Foundation
import GRDB
import SIPCore
import Synchronization

/// The embedded registrar store: one SQLite file in the data directory, in
/// WAL mode. A commit (`apply`) survives a crash of the process; `sync()`,
/// one `fdatasync` of the WAL, makes every commit before it survive a crash
/// of the machine too. With group commit (`BatchedWriter`) that costs one
/// sync per batch or fewer, not one per registration, and the next batch
/// commits while the last is synced.
///
/// The writer connection runs with `synchronous = NORMAL`: SQLite syncs the
/// WAL before each checkpoint copies it into the database file, and that file
/// after, so frames a checkpoint has taken are durable before the WAL is
/// reused; frames since are durable after the next `sync()`.
public final class SQLiteRegistrarStore: RegistrarStore {
    public static let fileName = "registrar.sqlite"

    /// The database file.
    public let path: String
    private let pool: DatabasePool
    /// The WAL, opened read-only for `sync()` alone: `fdatasync` flushes the
    /// file's pages whichever descriptor wrote them. SQLite keeps the file
    /// (the same inode) while a connection is open.
    private let wal: Int32

    /// Opens (creating if needed) the store in `directory` and migrates it.
    public init(directory: String) throws(RegistrarStoreError) {
        path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        var config = Configuration()
        config.label = "registrar-store"
        config.busyMode = .timeout(5)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
        do {
            try pool.writeWithoutTransaction { db in
                // A commit writes the WAL without waiting for the disk; `sync()` does
                // that, off the writer's path. (The pool has set NORMAL when it turned
                // WAL on; said here, where the writer is set up.)
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // The writer's page cache holds the binding table's pages, so that a refresh
                // finds its row without a read from the file (SQLite's default is 2 MiB);
                // the readers, which only load at start, keep the default.
                try db.execute(sql: "PRAGMA cache_size = -\(Self.writerCacheKiB)")
            }
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw .migration("\(error)")
        }
        // The pool's connections have opened the WAL, creating it if it was missing.
        wal = open(path + "-wal", O_RDONLY | O_CLOEXEC)
        guard wal >= 0 else {
            throw .open(path: path + "-wal", reason: String(cString: strerror(errno)))
        }
        // Whatever an earlier process committed and did not sync is durable from here on.
        try sync()
    }

    deinit {
        Glibc.close(wal)
    }

    /// One `fdatasync` of the WAL: every transaction committed before the
    /// call survives a crash of the machine once it returns.
    public func sync() throws(RegistrarStoreError) {
        guard fdatasync(wal) == 0 else {
            throw .write("fdatasync \(path)-wal: \(String(cString: strerror(errno)))")
        }
    }

    /// The writer connection's page cache, in KiB: about 100 000 bindings' rows
    /// and index entries; more are served from the operating system's cache.
    static let writerCacheKiB = 65_536

    /// A PRAGMA's value on the writer connection, the one every change goes
    /// through (`synchronous`: 1 is NORMAL).
    func writerPragma(_ name: String) throws -> Int? {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA \(name)") }
    }

    /// Closes the database; later calls fail.
    public func close() throws(RegistrarStoreError) {
        do { try pool.close() } catch { throw .write("close: \(error)") }
    }

    public func loadBindings(now: Double) throws(RegistrarStoreError) -> [Binding] {
        do {
            try pool.write { db in
                try db.execute(sql: "DELETE FROM binding WHERE expires_at <= ?", arguments: [now])
            }
        } catch {
            throw .write("\(error)")
        }
        // Cursors, columns by position, no row ever materialized whole; a
        // large table is read in slices of the primary key by one reader per
        // core, since decoding (URIs, strings) costs more than SQLite.
        let total: Int
        do {
            total = try pool.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM binding") ?? 0 }
        } catch {
            throw .read("\(error)")
        }
        let slices = total < 50_000 ? 1 : max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))
        let size = (total + slices - 1) / max(slices, 1)
        let results = Mutex<[Int: Result<[Binding], RegistrarStoreError>]>([:])
        DispatchQueue.concurrentPerform(iterations: slices) { i in
            let result = Result { () throws(RegistrarStoreError) -> [Binding] in
                try readBindings(limit: slices == 1 ? -1 : size, offset: i * size)
            }
            results.withLock { $0[i] = result }
        }
        let parts = results.withLock { $0 }
        var out: [Binding] = []
        out.reserveCapacity(total)
        for i in 0..<slices {
            switch parts[i] {
            case .success(let bindings)?: out.append(contentsOf: bindings)
            case .failure(let error)?: throw error
            case nil: throw .read("binding slice \(i) not read")
            }
        }
        return out
    }

    /// One slice of the binding table in primary-key order (`limit` -1: all).
    private func readBindings(limit: Int, offset: Int) throws(RegistrarStoreError) -> [Binding] {
        do {
            return try pool.read { db in
                var out: [Binding] = []
                out.reserveCapacity(max(limit, 0))
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT \(Self.bindingColumns) FROM binding ORDER BY aor, key LIMIT ? OFFSET ?",
                    arguments: [limit, offset])
                while let row = try rows.next() { out.append(try Self.binding(from: row)) }
                return out
            }
        } catch let error as RegistrarStoreError {
            throw error
        } catch {
            throw .read("\(error)")
        }
    }

    public func apply(_ changes: [BindingChange]) throws(RegistrarStoreError) {
        guard !changes.isEmpty else { return }
        do {
            try pool.writeWithoutTransaction { db in
                // Prepared once per connection, the transaction's own statements too:
                // compiling the SQL cost more than running it.
                try db.cachedStatement(sql: "BEGIN IMMEDIATE TRANSACTION").execute()
                do {
                    let upsert = try db.cachedStatement(sql: Self.upsertBindingSQL)
                    let refresh = try db.cachedStatement(sql: Self.refreshBindingSQL)
                    let remove = try db.cachedStatement(sql: "DELETE FROM binding WHERE aor = ? AND key = ?")
                    func store(_ b: Binding) throws {
                        try upsert.execute(arguments: [
                            b.aor.description, b.key, b.contactURI.description, b.contactText, b.expiresAt, b.q,
                            b.callID, Int64(b.cseq), try Self.encodePath(b.path), b.instanceID, b.regID.map { Int64($0) },
                            b.source.transport, b.source.address, b.source.flowToken.map { Int64(bitPattern: $0) },
                            b.userAgent, b.registeredAt, b.tempGRUU,
                        ])
                    }
                    for change in changes {
                        switch change {
                        case .upsert(let b):
                            try store(b)
                        case .refresh(let b):
                            // Three columns in place: no row deleted and inserted again.
                            try refresh.execute(arguments: [b.expiresAt, Int64(b.cseq), b.registeredAt, b.aor.description, b.key])
                            if db.changesCount == 0 { try store(b) }
                        case .remove(let aor, let key):
                            try remove.execute(arguments: [aor.description, key])
                        }
                    }
                    try db.cachedStatement(sql: "COMMIT TRANSACTION").execute()
                } catch {
                    // All or none: nothing of a failed batch stays.
                    if db.isInsideTransaction { try? db.execute(sql: "ROLLBACK TRANSACTION") }
                    throw error
                }
            }
        } catch {
            throw .write("\(error)")
        }
    }

    static let upsertBindingSQL = """
        INSERT OR REPLACE INTO binding (aor, key, contact_uri, contact_text, expires_at, q, call_id, cseq,
            path, instance_id, reg_id, source_transport, source_address, flow_token, user_agent,
            registered_at, temp_gruu)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static let refreshBindingSQL = "UPDATE binding SET expires_at = ?, cseq = ?, registered_at = ? WHERE aor = ? AND key = ?"

    public func putUser(_ user: UserRecord) throws(RegistrarStoreError) {
        do {
            try pool.write { db in
                try db.execute(
                    sql: "DELETE FROM user WHERE username = ? AND realm = ?", arguments: [user.username, user.realm])
                try db.execute(
                    sql: "INSERT INTO user (username, realm, note) VALUES (?, ?, ?)",
                    arguments: [user.username, user.realm, user.note])
                for (algorithm, ha1) in user.ha1 {
                    try db.execute(
                        sql: "INSERT INTO user_ha1 (username, realm, algorithm, ha1) VALUES (?, ?, ?, ?)",
                        arguments: [user.username, user.realm, algorithm.rawValue, ha1])
                }
            }
        } catch {
            throw .write("\(error)")
        }
        // A user changed by `switchboard user` is on disk before the command returns.
        try sync()
    }

    @discardableResult
    public func removeUser(username: String, realm: String) throws(RegistrarStoreError) -> Bool {
        let removed: Bool
        do {
            removed = try pool.write { db in
                try db.execute(sql: "DELETE FROM user WHERE username = ? AND realm = ?", arguments: [username, realm])
                return db.changesCount > 0
            }
        } catch {
            throw .write("\(error)")
        }
        try sync()
        return removed
    }

    public func users() throws(RegistrarStoreError) -> [UserRecord] {
        try read { db throws(RegistrarStoreError) in try Self.fetchUsers(db, where: "", arguments: []) }
    }

    public func user(username: String, realm: String) throws(RegistrarStoreError) -> UserRecord? {
        try read { db throws(RegistrarStoreError) in
            try Self.fetchUsers(db, where: "WHERE u.username = ? AND u.realm = ?", arguments: [username, realm]).first
        }
    }

    public func userSnapshot() throws(RegistrarStoreError) -> (users: UserTable, cursor: Int64) {
        // One read transaction: a change committed after the users were read is after the cursor too.
        try read { db throws(RegistrarStoreError) in
            // Row by row into the table: no list of every record on the way.
            var table = UserTable()
            try Self.forEachUser(db, where: "", arguments: []) { table.add($0) }
            return (table, try Self.lastUserChange(db) ?? 0)
        }
    }

    public func userChanges(after cursor: Int64) throws(RegistrarStoreError) -> UserChanges {
        try read { db throws(RegistrarStoreError) in
            guard let last = try Self.lastUserChange(db), last > cursor else { return UserChanges(cursor: cursor) }
            let names: [(String, String)]
            do {
                names = try Row.fetchAll(
                    db, sql: "SELECT DISTINCT username, realm FROM user_change WHERE seq > ? AND seq <= ?",
                    arguments: [cursor, last]
                ).map { ($0[0], $0[1]) }
            } catch {
                throw .read("\(error)")
            }
            let records = try Self.fetchUsers(
                db,
                where: "WHERE (u.username, u.realm) IN (SELECT username, realm FROM user_change WHERE seq > ? AND seq <= ?)",
                arguments: [cursor, last])
            var changes = UserChanges(cursor: last)
            for (username, realm) in names { changes.users[UserTable.Key(username: username, realm: realm)] = .some(nil) }
            for record in records { changes.users[UserTable.Key(username: record.username, realm: record.realm)] = record }
            return changes
        }
    }

    public func pruneUserChanges(through cursor: Int64) throws(RegistrarStoreError) {
        do {
            try pool.write { db in
                // All of it (the usual case, and after a bulk import at start): a DELETE without
                // WHERE drops the table's pages at once instead of visiting every row.
                if let last = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM user_change"), last <= cursor {
                    try db.execute(sql: "DELETE FROM user_change")
                } else {
                    try db.execute(sql: "DELETE FROM user_change WHERE seq <= ?", arguments: [cursor])
                }
            }
        } catch {
            throw .write("\(error)")
        }
    }

    /// The newest entry of the user change log; nil when it is empty.
    private static func lastUserChange(_ db: Database) throws(RegistrarStoreError) -> Int64? {
        do { return try Int64.fetchOne(db, sql: "SELECT max(seq) FROM user_change") } catch { throw .read("\(error)") }
    }

    /// A read transaction whose errors are store errors.
    private func read<T>(_ body: (Database) throws(RegistrarStoreError) -> T) throws(RegistrarStoreError) -> T {
        do {
            return try pool.read { db in try body(db) }
        } catch let error as RegistrarStoreError {
            throw error
        } catch {
            throw .read("\(error)")
        }
    }

    private static func fetchUsers(_ db: Database, where clause: String, arguments: StatementArguments) throws(RegistrarStoreError) -> [UserRecord] {
        var out: [UserRecord] = []
        try forEachUser(db, where: clause, arguments: arguments) { out.append($0) }
        return out
    }

    /// Each user the clause selects, with every HA1, in realm then username order.
    private static func forEachUser(
        _ db: Database, where clause: String, arguments: StatementArguments, _ body: (UserRecord) -> Void
    ) throws(RegistrarStoreError) {
        var current: UserRecord?
        do {
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT u.username, u.realm, u.note, h.algorithm, h.ha1 FROM user u
                    LEFT JOIN user_ha1 h ON h.username = u.username AND h.realm = u.realm
                    \(clause) ORDER BY u.realm, u.username
                    """,
                arguments: arguments)
            while let row = try rows.next() {
                let username: String = row[0]
                let realm: String = row[1]
                if current?.username != username || current?.realm != realm {
                    if let done = current { body(done) }
                    current = UserRecord(username: username, realm: realm, ha1: [:], note: row[2])
                }
                if let token: String = row[3] {
                    guard let algorithm = DigestAlgorithm(token: token) else {
                        throw RegistrarStoreError.corruptRow(table: "user_ha1", reason: "unknown algorithm \(token) for \(username)@\(realm)")
                    }
                    current?.ha1[algorithm] = row[4]
                }
            }
        } catch let error as RegistrarStoreError {
            throw error
        } catch {
            throw .read("\(error)")
        }
        if let done = current { body(done) }
    }

    /// The binding columns in the order `binding(from:)` reads them.
    static let bindingColumns = """
        aor, key, contact_uri, contact_text, expires_at, q, call_id, cseq, path, instance_id, reg_id, \
        source_transport, source_address, flow_token, user_agent, registered_at, temp_gruu
        """

    /// A binding from a row of `bindingColumns`.
    static func binding(from row: Row) throws(RegistrarStoreError) -> Binding {
        let aorText: String = row[0]
        guard let aor = AddressOfRecord(canonical: aorText) else {
            throw .corruptRow(table: "binding", reason: "bad AOR \(aorText)")
        }
        let uriText: String = row[2]
        let uri: SIPURI
        do { uri = try SIPURI(uriText) } catch { throw .corruptRow(table: "binding", reason: "bad contact \(uriText)") }
        let cseq: Int64 = row[7]
        let regID: Int64? = row[10]
        let flow: Int64? = row[13]
        return Binding(
            aor: aor, key: row[1], contactURI: uri, contactText: row[3], expiresAt: row[4],
            q: row[5], callID: row[6], cseq: UInt32(truncatingIfNeeded: cseq), path: try decodePath(row[8]),
            instanceID: row[9], regID: regID.map { UInt32(truncatingIfNeeded: $0) },
            source: BindingSource(
                transport: row[11], address: row[12],
                flowToken: flow.map { UInt64(bitPattern: $0) }),
            userAgent: row[14], registeredAt: row[15], tempGRUU: row[16])
    }

    static func encodePath(_ path: [String]) throws -> String {
        // Most bindings have no Path: no encoder for them.
        if path.isEmpty { return "[]" }
        return String(decoding: try JSONEncoder().encode(path), as: UTF8.self)
    }

    static func decodePath(_ text: String) throws(RegistrarStoreError) -> [String] {
        // Most bindings have no Path: no decoder for them.
        if text == "[]" { return [] }
        do { return try JSONDecoder().decode([String].self, from: Data(text.utf8)) } catch {
            throw .corruptRow(table: "binding", reason: "bad path \(text)")
        }
    }
}
