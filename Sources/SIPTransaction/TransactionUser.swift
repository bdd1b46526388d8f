import SIPCore
import SIPTransport

/// The layer above transactions (a proxy core, a UA core): what a
/// `TransactionLayer` calls, on its shard's queue. A TU may call back into
/// the layer from any of these (respond, send, cancel).
public protocol TransactionUser: AnyObject {
    /// A new request (not ACK or CANCEL) created server transaction
    /// `transaction`; answer it with `TransactionLayer.respond`.
    func didReceiveRequest(_ request: SIPMessage, transaction: ServerTransactionID, inbound: InboundMessage)

    /// A new CANCEL created its own server transaction `transaction`;
    /// `invite` is the INVITE server transaction it cancels (RFC 3261 9.2),
    /// or nil, and then the TU answers the CANCEL 481.
    func didReceiveCancel(_ cancel: SIPMessage, transaction: ServerTransactionID, cancelling invite: ServerTransactionID?, inbound: InboundMessage)

    /// An ACK that is not hop-by-hop: `acceptedInvite` is the INVITE server
    /// transaction in Accepted state it matched (RFC 6026 8.7), or nil when it
    /// matched none (an ACK for a 2xx, which a proxy forwards statelessly).
    /// ACKs for 300–699 never come here: their transaction absorbs them.
    func didReceiveAck(_ ack: SIPMessage, acceptedInvite: ServerTransactionID?, inbound: InboundMessage)

    /// A response for a client transaction: provisional, final, and in the
    /// INVITE Accepted state each 2xx retransmission (RFC 6026 8.4).
    func didReceiveResponse(_ response: SIPMessage, transaction: ClientTransactionID, inbound: InboundMessage)

    /// A client transaction ended without a final response: treat it as a
    /// 408 (timeout) or 503 (transport failure), `failure.statusCode`.
    func clientTransactionFailed(_ transaction: ClientTransactionID, failure: ClientTransactionFailure)

    /// A response that matched no client transaction (RFC 3261 17.1.3); a
    /// proxy forwards a stray 2xx statelessly (16.7) and drops the rest.
    func didReceiveStrayResponse(_ response: SIPMessage, inbound: InboundMessage)

    /// A server transaction reached Terminated and is forgotten.
    func serverTransactionTerminated(_ transaction: ServerTransactionID, end: ServerTransactionEnd)
}
