import CallCore
import Foundation
import GRDB
import Routing

/// The embedded call record store: `cdr.sqlite` in the data directory, in
/// WAL mode with `synchronous = FULL`, so a committed record survives a
/// crash of the process or the machine. Readers (`switchboard cdr export`)
/// do not block the writer.
public final class SQLiteCDRStore: CDRStore {
    public static let fileName = "cdr.sqlite"

    /// The database file.
    public let path: String
    private let pool: DatabasePool

    /// Opens the store in `directory` and migrates it; with `create`, makes
    /// the directory and the file if they are missing, else throws `.missing`.
    public init(directory: String, create: Bool = true) throws(CDRStoreError) {
        path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        if !create && !FileManager.default.fileExists(atPath: path) { throw .missing(path: path) }
        var config = GRDB.Configuration()
        config.label = "cdr-store"
        config.busyMode = .timeout(5)
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            pool = try DatabasePool(path: path, configuration: config)
            // Each commit syncs the WAL before it returns. Set here, on the writer, every
            // record's only path: the pool sets NORMAL when it turns WAL on, after
            // `prepareDatabase` has run.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw .open(path: path, reason: "\(error)")
        }
        do {
            try Self.migrator.migrate(pool)
        } catch {
            throw .migration("\(error)")
        }
    }

    /// A PRAGMA's value on the writer connection (`synchronous`: 2 is FULL).
    func writerPragma(_ name: String) throws -> Int? {
        try pool.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA \(name)") }
    }

    /// Closes the database; later calls fail.
    public func close() throws(CDRStoreError) {
        do { try pool.close() } catch { throw .write("close: \(error)") }
    }

    public func insert(_ entries: [CDREntry]) throws(CDRStoreError) {
        guard !entries.isEmpty else { return }
        do {
            try pool.write { db in
                for entry in entries {
                    try Self.insert(entry, into: db)
                }
            }
        } catch {
            throw .write("\(error)")
        }
    }

    public func calls(_ query: CDRQuery, _ body: (CallDetailRecord) -> Bool) throws(CDRStoreError) {
        let (clause, arguments) = Self.window(query, column: "start_time")
        try read { db throws in
            let rows = try Row.fetchCursor(
                db, sql: "SELECT * FROM call \(clause) ORDER BY start_time, uuid\(Self.limit(query))", arguments: arguments)
            while let row = try rows.next() {
                guard body(try Self.call(from: row)) else { return }
            }
        }
    }

    public func attempts(_ query: CDRQuery, _ body: (CallAttemptRecord) -> Bool) throws(CDRStoreError) {
        let (clause, arguments) = Self.window(query, column: "c.start_time")
        try read { db throws in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT a.* FROM attempt a JOIN call c ON c.uuid = a.call_uuid \(clause)
                    ORDER BY c.start_time, a.call_uuid, a.idx\(Self.limit(query))
                    """,
                arguments: arguments)
            while let row = try rows.next() {
                guard body(try Self.attempt(from: row)) else { return }
            }
        }
    }

    /// Runs a read, passing a `CDRStoreError` thrown inside through as it is.
    private func read(_ work: (Database) throws -> Void) throws(CDRStoreError) {
        do {
            try pool.read(work)
        } catch let error as CDRStoreError {
            throw error
        } catch {
            throw .read("\(error)")
        }
    }

    static func window(_ query: CDRQuery, column: String) -> (String, StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let since = query.since {
            conditions.append("\(column) >= ?")
            arguments += [since]
        }
        if let until = query.until {
            conditions.append("\(column) < ?")
            arguments += [until]
        }
        return (conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    static func limit(_ query: CDRQuery) -> String {
        query.limit.map { " LIMIT \(max(0, $0))" } ?? ""
    }

    static func insert(_ entry: CDREntry, into db: Database) throws {
        let c = entry.call
        // Replacing the call deletes its old attempts (ON DELETE CASCADE).
        try db.execute(sql: "DELETE FROM call WHERE uuid = ?", arguments: [c.callUUID])
        try db.execute(
            sql: """
                INSERT INTO call (uuid, call_id, class, caller, dialled, callee, source, start_time, answer_time, end_time,
                    duration, status, reason, cause, carrier, cost_micro, currency, packets_from_caller, bytes_from_caller,
                    packets_to_caller, bytes_to_caller, packets_lost)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                c.callUUID, c.callID, c.callClass.rawValue, c.caller, c.dialled, c.callee, c.source, c.startTime,
                c.answerTime, c.endTime, c.duration, c.status, c.reason, c.cause.rawValue, c.carrier,
                c.cost?.amount.microUnits, c.cost?.currency, c.media.map { Int64(bitPattern: $0.packetsFromCaller) },
                c.media.map { Int64(bitPattern: $0.bytesFromCaller) }, c.media.map { Int64(bitPattern: $0.packetsToCaller) },
                c.media.map { Int64(bitPattern: $0.bytesToCaller) }, c.media.map { Int64(bitPattern: $0.packetsLost) },
            ])
        for a in entry.attempts {
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO attempt (call_uuid, idx, carrier, target, start_time, provisional_time, answer_time,
                        end_time, status, reason, failed_over)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    c.callUUID, a.index, a.carrier, a.target, a.startTime, a.provisionalTime, a.answerTime, a.endTime,
                    a.status, a.reason, a.failedOver,
                ])
        }
    }

    static func call(from row: Row) throws(CDRStoreError) -> CallDetailRecord {
        let uuid: String = row["uuid"]
        let classText: String = row["class"]
        guard let callClass = CallClass(rawValue: classText) else {
            throw .corruptRow(table: "call", reason: "unknown class \(classText) of \(uuid)")
        }
        let causeText: String = row["cause"]
        guard let cause = CallEndCause(rawValue: causeText) else {
            throw .corruptRow(table: "call", reason: "unknown cause \(causeText) of \(uuid)")
        }
        var cost: CallCost?
        if let micro: Int64 = row["cost_micro"] {
            cost = CallCost(amount: Money(microUnits: micro), currency: row["currency"] ?? "")
        }
        var media: MediaCounters?
        if let packetsFrom: Int64 = row["packets_from_caller"] {
            func counter(_ column: String) -> UInt64 {
                let value: Int64? = row[column]
                return UInt64(bitPattern: value ?? 0)
            }
            media = MediaCounters(
                packetsFromCaller: UInt64(bitPattern: packetsFrom), bytesFromCaller: counter("bytes_from_caller"),
                packetsToCaller: counter("packets_to_caller"), bytesToCaller: counter("bytes_to_caller"),
                packetsLost: counter("packets_lost"))
        }
        return CallDetailRecord(
            callID: row["call_id"], callUUID: uuid, callClass: callClass, caller: row["caller"], dialled: row["dialled"],
            callee: row["callee"], source: row["source"], startTime: row["start_time"], answerTime: row["answer_time"],
            endTime: row["end_time"], duration: row["duration"], status: row["status"], reason: row["reason"], cause: cause,
            carrier: row["carrier"], cost: cost, media: media)
    }

    static func attempt(from row: Row) throws(CDRStoreError) -> CallAttemptRecord {
        CallAttemptRecord(
            callUUID: row["call_uuid"], index: row["idx"], carrier: row["carrier"], target: row["target"],
            startTime: row["start_time"], provisionalTime: row["provisional_time"], answerTime: row["answer_time"],
            endTime: row["end_time"], status: row["status"], reason: row["reason"], failedOver: row["failed_over"])
    }
}
