import Dispatch

/// The call record writer as a drain participant. It follows the SIP
/// service's drain (`after`): calls that end while the server drains still
/// produce records, so the writer is flushed once that drain is over, and
/// the server flushes it once more just before exit in case the drain timed out.
struct CDRDrain: DrainParticipant {
    let writer: CDRWriter
    /// The participant whose calls produce the records, drained first.
    let after: any DrainParticipant
    var name: String { "\(after.name)+cdr" }

    func drain(until deadline: DispatchTime, done: @escaping @Sendable () -> Void) {
        after.drain(until: deadline) {
            // The writer logs a failure; the records stay pending for the exit flush.
            try? writer.flush()
            done()
        }
    }
}
