import CallCore

/// `switchboard cdr export`: the calls (or their attempts) that started in a
/// window, as CSV with a header row (RFC 4180), times in ISO 8601 UTC and
/// costs as decimals beside their currency.
public struct CDRExport: Sendable {
    public enum Rows: Sendable {
        /// One row per call.
        case calls
        /// One row per attempt; `call_uuid` joins it to its call.
        case attempts
    }

    public var query: CDRQuery
    public var rows: Rows

    public init(query: CDRQuery, rows: Rows = .calls) {
        self.query = query
        self.rows = rows
    }

    public static let callHeader = [
        "call_uuid", "call_id", "class", "caller", "dialled", "callee", "source", "start", "answer", "end", "duration",
        "status", "reason", "cause", "carrier", "cost", "currency", "packets_from_caller", "bytes_from_caller",
        "packets_to_caller", "bytes_to_caller", "packets_lost",
    ]

    public static let attemptHeader = [
        "call_uuid", "attempt", "carrier", "target", "start", "provisional", "answer", "end", "status", "reason",
        "failed_over",
    ]

    /// Writes the header and then each row to `output`, one CSV record per
    /// call; returns the number of rows. Reads from `store` as it writes, so
    /// an export of any size holds one row in memory.
    @discardableResult
    public func write(from store: any CDRStore, to output: (String) -> Void) throws(CDRStoreError) -> Int {
        var count = 0
        switch rows {
        case .calls:
            output(CSVLine.make(Self.callHeader))
            try store.calls(query) { call in
                output(CSVLine.make(Self.fields(call)))
                count += 1
                return true
            }
        case .attempts:
            output(CSVLine.make(Self.attemptHeader))
            try store.attempts(query) { attempt in
                output(CSVLine.make(Self.fields(attempt)))
                count += 1
                return true
            }
        }
        return count
    }

    static func fields(_ c: CallDetailRecord) -> [String] {
        [
            c.callUUID, c.callID, c.callClass.rawValue, c.caller, c.dialled, c.callee ?? "", c.source,
            CDRTimestamp.format(c.startTime), c.answerTime.map(CDRTimestamp.format) ?? "", CDRTimestamp.format(c.endTime),
            String(c.duration), String(c.status), c.reason, c.cause.rawValue, c.carrier ?? "",
            c.cost.map { $0.amount.description } ?? "", c.cost?.currency ?? "",
            c.media.map { String($0.packetsFromCaller) } ?? "", c.media.map { String($0.bytesFromCaller) } ?? "",
            c.media.map { String($0.packetsToCaller) } ?? "", c.media.map { String($0.bytesToCaller) } ?? "",
            c.media.map { String($0.packetsLost) } ?? "",
        ]
    }

    static func fields(_ a: CallAttemptRecord) -> [String] {
        [
            a.callUUID, String(a.index), a.carrier, a.target, CDRTimestamp.format(a.startTime),
            a.provisionalTime.map(CDRTimestamp.format) ?? "", a.answerTime.map(CDRTimestamp.format) ?? "",
            CDRTimestamp.format(a.endTime), String(a.status), a.reason, a.failedOver ? "yes" : "no",
        ]
    }
}
