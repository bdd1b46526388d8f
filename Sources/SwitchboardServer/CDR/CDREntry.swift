import CallCore

/// One ended call as stored: its record and the records of its attempts.
public struct CDREntry: Sendable, Hashable {
    public var call: CallDetailRecord
    public var attempts: [CallAttemptRecord]

    public init(call: CallDetailRecord, attempts: [CallAttemptRecord]) {
        self.call = call
        self.attempts = attempts
    }
}
