/// Counters of one shard's transaction layer, for `switchboard ctl status`
/// and metrics. Active counts go up and down; the rest only go up.
public struct TransactionStatistics: Sendable, Hashable {
    public var activeServerInvite = 0
    public var activeServerNonInvite = 0
    public var activeClientInvite = 0
    public var activeClientNonInvite = 0
    public var serverTransactionsCreated: UInt64 = 0
    public var clientTransactionsCreated: UInt64 = 0
    /// Requests and responses this layer sent again (timers A, E, G; resends for retransmitted requests).
    public var retransmissionsSent: UInt64 = 0
    /// Retransmitted requests and responses matched to a transaction and not passed up.
    public var retransmissionsAbsorbed: UInt64 = 0
    /// Final responses sent as a stateless UAS (challenges), their transactions ended at once.
    public var statelessResponses: UInt64 = 0
    /// Timer B, F or H fired.
    public var timeouts: UInt64 = 0
    public var transportFailures: UInt64 = 0
    /// Responses that matched no client transaction.
    public var strayResponses: UInt64 = 0
    /// Requests dropped because no transaction could be identified (no Via, CSeq…).
    public var unidentifiableMessages: UInt64 = 0

    public init() {}

    public var activeServer: Int { activeServerInvite + activeServerNonInvite }
    public var activeClient: Int { activeClientInvite + activeClientNonInvite }
    public var active: Int { activeServer + activeClient }
}
