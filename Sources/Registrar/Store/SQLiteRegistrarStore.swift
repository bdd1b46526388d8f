import Foundation
import GRDB
import SIPCore

/// The embedded registrar store: one SQLite file in the data directory, in
/// WAL mode with `synchronous = FULL`, so a committed transaction survives
/// a crash of the process or the machine.
public final class SQLiteRegistrarStore: RegistrarStore {
    public static let fileName = "registrar.sqlite"

    /// The database file.
    public let path: String
    private let pool: DatabasePool

    /// Opens (creating if needed) the store in `directory` and migrates it.
    public init(directory: String) throws(RegistrarStoreError) {
        path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        var config = Configuration()
        config.label = "registrar-store"
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw .migration("\(error)")
        }
    }

    /// Closes the database; later calls fail.
    public func close() throws(RegistrarStoreError) {
        do { try pool.close() } catch { throw .write("close: \(error)") }
    }

    public func loadBindings(now: Double) throws(RegistrarStoreError) -> [Binding] {
        let rows: [Row]
        do {
            rows = try pool.write { db in
                try db.execute(sql: "DELETE FROM binding WHERE expires_at <= ?", arguments: [now])
                return try Row.fetchAll(db, sql: "SELECT * FROM binding ORDER BY aor, registered_at")
            }
        } catch {
            throw .read("\(error)")
        }
        return try rows.map { (row) throws(RegistrarStoreError) in try Self.binding(from: row) }
    }

    public func apply(_ changes: [BindingChange]) throws(RegistrarStoreError) {
        guard !changes.isEmpty else { return }
        do {
            try pool.write { db in
                for change in changes {
                    switch change {
                    case .upsert(let b):
                        try db.execute(
                            sql: """
                                INSERT OR REPLACE INTO binding (aor, key, contact_uri, contact_text, expires_at, q, call_id, cseq,
                                    path, instance_id, reg_id, source_transport, source_address, flow_token, user_agent,
                                    registered_at, temp_gruu)
                                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [
                                b.aor.description, b.key, b.contactURI.description, b.contactText, b.expiresAt, b.q,
                                b.callID, Int64(b.cseq), try Self.encodePath(b.path), b.instanceID, b.regID.map { Int64($0) },
                                b.source.transport, b.source.address, b.source.flowToken.map { Int64(bitPattern: $0) },
                                b.userAgent, b.registeredAt, b.tempGRUU,
                            ])
                    case .remove(let aor, let key):
                        try db.execute(
                            sql: "DELETE FROM binding WHERE aor = ? AND key = ?", arguments: [aor.description, key])
                    }
                }
            }
        } catch {
            throw .write("\(error)")
        }
    }

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
    }

    @discardableResult
    public func removeUser(username: String, realm: String) throws(RegistrarStoreError) -> Bool {
        do {
            return try pool.write { db in
                try db.execute(sql: "DELETE FROM user WHERE username = ? AND realm = ?", arguments: [username, realm])
                return db.changesCount > 0
            }
        } catch {
            throw .write("\(error)")
        }
    }

    public func users() throws(RegistrarStoreError) -> [UserRecord] {
        try fetchUsers(where: "", arguments: [])
    }

    public func user(username: String, realm: String) throws(RegistrarStoreError) -> UserRecord? {
        try fetchUsers(where: "WHERE u.username = ? AND u.realm = ?", arguments: [username, realm]).first
    }

    private func fetchUsers(where clause: String, arguments: StatementArguments) throws(RegistrarStoreError) -> [UserRecord] {
        let rows: [Row]
        do {
            rows = try pool.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT u.username, u.realm, u.note, h.algorithm, h.ha1 FROM user u
                        LEFT JOIN user_ha1 h ON h.username = u.username AND h.realm = u.realm
                        \(clause) ORDER BY u.realm, u.username
                        """,
                    arguments: arguments)
            }
        } catch {
            throw .read("\(error)")
        }
        var out: [UserRecord] = []
        for row in rows {
            let username: String = row["username"]
            let realm: String = row["realm"]
            if out.last?.username != username || out.last?.realm != realm {
                out.append(UserRecord(username: username, realm: realm, ha1: [:], note: row["note"]))
            }
            if let token: String = row["algorithm"] {
                guard let algorithm = DigestAlgorithm(token: token) else {
                    throw .corruptRow(table: "user_ha1", reason: "unknown algorithm \(token) for \(username)@\(realm)")
                }
                out[out.count - 1].ha1[algorithm] = row["ha1"]
            }
        }
        return out
    }

    static func binding(from row: Row) throws(RegistrarStoreError) -> Binding {
        let aorText: String = row["aor"]
        guard let aor = AddressOfRecord(canonical: aorText) else {
            throw .corruptRow(table: "binding", reason: "bad AOR \(aorText)")
        }
        let uriText: String = row["contact_uri"]
        let uri: SIPURI
        do { uri = try SIPURI(uriText) } catch { throw .corruptRow(table: "binding", reason: "bad contact \(uriText)") }
        let cseq: Int64 = row["cseq"]
        let regID: Int64? = row["reg_id"]
        let flow: Int64? = row["flow_token"]
        return Binding(
            aor: aor, key: row["key"], contactURI: uri, contactText: row["contact_text"], expiresAt: row["expires_at"],
            q: row["q"], callID: row["call_id"], cseq: UInt32(truncatingIfNeeded: cseq), path: try decodePath(row["path"]),
            instanceID: row["instance_id"], regID: regID.map { UInt32(truncatingIfNeeded: $0) },
            source: BindingSource(
                transport: row["source_transport"], address: row["source_address"],
                flowToken: flow.map { UInt64(bitPattern: $0) }),
            userAgent: row["user_agent"], registeredAt: row["registered_at"], tempGRUU: row["temp_gruu"])
    }

    static func encodePath(_ path: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(path), as: UTF8.self)
    }

    static func decodePath(_ text: String) throws(RegistrarStoreError) -> [String] {
        do { return try JSONDecoder().decode([String].self, from: Data(text.utf8)) } catch {
            throw .corruptRow(table: "binding", reason: "bad path \(text)")
        }
    }
}
