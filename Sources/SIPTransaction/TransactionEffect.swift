/// The timers a transaction runs (RFC 3261 Table 4, RFC 6026), plus the
/// 200 ms wait before an INVITE server transaction sends 100 Trying itself.
public enum TransactionTimerName: Sendable, Hashable, CaseIterable {
    case a, b, d, e, f, g, h, i, j, k, l, m
    case trying
}

/// How a transaction ended, as its state machine sees it.
enum TransactionOutcome: Sendable, Hashable {
    /// Reached Terminated the ordinary way (a timer that only absorbed retransmissions).
    case normal
    /// Timer B, F or H fired.
    case timeout
    /// The transport could not deliver a message of this transaction (RFC 3261 17.1.4, 17.2.4).
    case transportFailure
}

/// What a transaction state machine asks its layer to do, in order.
enum TransactionEffect: Sendable, Hashable {
    /// Send bytes to the transaction's peer; `retransmission` for counting.
    case send([UInt8], retransmission: Bool)
    case startTimer(TransactionTimerName, milliseconds: Int64)
    case stopTimer(TransactionTimerName)
    /// Pass the message just received to the transaction user.
    case deliverToUser
    case terminate(TransactionOutcome)
}
