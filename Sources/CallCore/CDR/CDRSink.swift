/// Where the B2BUA hands a call's records when the call ends. `record`
/// is called from a shard queue: it must return at once and never wait on
/// storage (the SQLite writer queues the records and commits them in batches).
public protocol CDRSink: Sendable {
    /// Takes the record of one ended call and of each of its attempts, in attempt order.
    func record(call: CallDetailRecord, attempts: [CallAttemptRecord])
}
