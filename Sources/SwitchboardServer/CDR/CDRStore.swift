import CallCore

/// Durable call detail records. The embedded implementation is
/// `SQLiteCDRStore`; a shared one (PostgreSQL) implements the same protocol.
/// Calls block: make them from a store queue (as `CDRWriter` does) or from
/// the command line, never from a shard queue.
public protocol CDRStore: Sendable {
    /// Stores the entries in one transaction, all or none. An entry whose
    /// call UUID is already stored replaces it, so a batch may be written again.
    func insert(_ entries: [CDREntry]) throws(CDRStoreError)
    /// Calls `body` with each call the query selects, oldest first, until it returns false.
    func calls(_ query: CDRQuery, _ body: (CallDetailRecord) -> Bool) throws(CDRStoreError)
    /// Calls `body` with each attempt of the calls the query selects, by call
    /// start then attempt index, until it returns false; `limit` counts attempts.
    func attempts(_ query: CDRQuery, _ body: (CallAttemptRecord) -> Bool) throws(CDRStoreError)
}

extension CDRStore {
    /// The calls the query selects, oldest first.
    public func calls(_ query: CDRQuery) throws(CDRStoreError) -> [CallDetailRecord] {
        var out: [CallDetailRecord] = []
        try calls(query) { out.append($0); return true }
        return out
    }

    /// The attempts of the calls the query selects, by call start then attempt index.
    public func attempts(_ query: CDRQuery) throws(CDRStoreError) -> [CallAttemptRecord] {
        var out: [CallAttemptRecord] = []
        try attempts(query) { out.append($0); return true }
        return out
    }
}
