import GRDB

extension SQLiteCDRStore {
    /// Schema versions, applied in order on open; never edit a shipped one.
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("1 calls and attempts") { db in
            try db.execute(
                sql: """
                    CREATE TABLE call (
                        uuid TEXT NOT NULL PRIMARY KEY,
                        call_id TEXT NOT NULL,
                        class TEXT NOT NULL,
                        caller TEXT NOT NULL,
                        dialled TEXT NOT NULL,
                        callee TEXT,
                        source TEXT NOT NULL,
                        start_time REAL NOT NULL,
                        answer_time REAL,
                        end_time REAL NOT NULL,
                        duration INTEGER NOT NULL,
                        status INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        cause TEXT NOT NULL,
                        carrier TEXT,
                        cost_micro INTEGER,
                        currency TEXT,
                        packets_from_caller INTEGER,
                        bytes_from_caller INTEGER,
                        packets_to_caller INTEGER,
                        bytes_to_caller INTEGER,
                        packets_lost INTEGER
                    ) WITHOUT ROWID;
                    CREATE INDEX call_start_time ON call(start_time);
                    CREATE INDEX call_call_id ON call(call_id);
                    CREATE TABLE attempt (
                        call_uuid TEXT NOT NULL REFERENCES call(uuid) ON DELETE CASCADE,
                        idx INTEGER NOT NULL,
                        carrier TEXT NOT NULL,
                        target TEXT NOT NULL,
                        start_time REAL NOT NULL,
                        provisional_time REAL,
                        answer_time REAL,
                        end_time REAL NOT NULL,
                        status INTEGER NOT NULL,
                        reason TEXT NOT NULL,
                        failed_over INTEGER NOT NULL,
                        PRIMARY KEY (call_uuid, idx)
                    ) WITHOUT ROWID;
                    CREATE INDEX attempt_start_time ON attempt(start_time);
                    """)
        }
        return m
    }
}
