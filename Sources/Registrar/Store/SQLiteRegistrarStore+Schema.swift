import GRDB

extension SQLiteRegistrarStore {
    /// Schema versions, applied in order on open; never edit a shipped one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("1 bindings and users") { db in
            try db.execute(
                sql: """
                    CREATE TABLE binding (
                        aor TEXT NOT NULL,
                        key TEXT NOT NULL,
                        contact_uri TEXT NOT NULL,
                        contact_text TEXT NOT NULL,
                        expires_at REAL NOT NULL,
                        q REAL,
                        call_id TEXT NOT NULL,
                        cseq INTEGER NOT NULL,
                        path TEXT NOT NULL,
                        instance_id TEXT,
                        reg_id INTEGER,
                        source_transport TEXT NOT NULL,
                        source_address TEXT NOT NULL,
                        flow_token INTEGER,
                        user_agent TEXT,
                        registered_at REAL NOT NULL,
                        temp_gruu TEXT,
                        PRIMARY KEY (aor, key)
                    ) WITHOUT ROWID;
                    CREATE INDEX binding_expires_at ON binding(expires_at);
                    CREATE TABLE user (
                        username TEXT NOT NULL,
                        realm TEXT NOT NULL,
                        note TEXT NOT NULL DEFAULT '',
                        PRIMARY KEY (username, realm)
                    ) WITHOUT ROWID;
                    CREATE TABLE user_ha1 (
                        username TEXT NOT NULL,
                        realm TEXT NOT NULL,
                        algorithm TEXT NOT NULL,
                        ha1 TEXT NOT NULL,
                        PRIMARY KEY (username, realm, algorithm),
                        FOREIGN KEY (username, realm) REFERENCES user(username, realm) ON DELETE CASCADE
                    ) WITHOUT ROWID;
                    """)
        }
        // Every change to a user, by this process or another (`switchboard user`),
        // leaves its name in the log: a running registrar reads the log to keep
        // its in-memory user table current without reading users per request.
        m.registerMigration("2 user change log") { db in
            var sql = """
                CREATE TABLE user_change (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    username TEXT NOT NULL,
                    realm TEXT NOT NULL
                );
                """
            for table in ["user", "user_ha1"] {
                sql += """
                    CREATE TRIGGER \(table)_insert_logged AFTER INSERT ON \(table) BEGIN
                        INSERT INTO user_change (username, realm) VALUES (NEW.username, NEW.realm);
                    END;
                    CREATE TRIGGER \(table)_update_logged AFTER UPDATE ON \(table) BEGIN
                        INSERT INTO user_change (username, realm) VALUES (OLD.username, OLD.realm);
                        INSERT INTO user_change (username, realm) VALUES (NEW.username, NEW.realm);
                    END;
                    CREATE TRIGGER \(table)_delete_logged AFTER DELETE ON \(table) BEGIN
                        INSERT INTO user_change (username, realm) VALUES (OLD.username, OLD.realm);
                    END;
                    """
            }
            try db.execute(sql: sql)
        }
        // The expiry index served only the purge at start, which reads the
        // whole table anyway; kept, it cost every refresh a second page
        // rewritten (its entry moves with expires_at). The purge scans instead.
        m.registerMigration("3 binding expiry without an index") { db in
            try db.execute(sql: "DROP INDEX binding_expires_at")
        }
        return m
    }
}
