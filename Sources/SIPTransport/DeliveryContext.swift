import Logging
import SIPCore

/// What every listener and connection of one transport layer shares: the
/// callbacks the layer above installed, the limits, the logger.
struct DeliveryContext: Sendable {
    var onMessage: @Sendable (InboundMessage) -> Void
    var onFailure: @Sendable (TransportFailure) -> Void
    var configuration: TransportConfiguration
    /// What the UDP receivers run between batches.
    var receiverTurns: ReceiverTurns
    var logger: Logger { configuration.logger }
}
