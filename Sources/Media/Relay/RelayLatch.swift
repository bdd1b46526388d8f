/// Symmetric RTP (RFC 4961) for one leg and one component: where the relay
/// sends, and which sources it accepts packets from.
///
/// Until a valid packet arrives the leg sends to the address the SDP gave;
/// the first packet latches the leg to its source (the NAT's public
/// address). Another source takes the latch over only when it continues the
/// latched stream (same SSRC, sequence a little ahead), when it is the SDP
/// address itself, or when the latched source has been silent for
/// `relatchAfterSilence`; anything else is an injection and is dropped.
struct RelayLatch {
    /// The address the SDP gave; nil when unknown, unspecified for hold.
    private(set) var signalled: RelayEndpoint?
    private(set) var latched: RelayEndpoint?
    private(set) var ssrc: UInt32?
    private(set) var sequence: UInt16?
    private(set) var lastAccepted: ContinuousClock.Instant?
    /// Times the latch moved from one source to another.
    private(set) var relatchCount = 0

    init(signalled: SocketAddress? = nil) {
        self.signalled = signalled.map(RelayEndpoint.init)
    }

    /// Where packets for this leg go: the latched source, else the SDP address (never 0.0.0.0).
    var destination: RelayEndpoint? {
        if let latched { return latched }
        guard let signalled, !signalled.isUnspecified, signalled.port != 0 else { return nil }
        return signalled
    }

    /// A new SDP address (re-INVITE): a changed one forgets the latch, the same one keeps it.
    mutating func signal(_ address: SocketAddress?) {
        let address = address.map(RelayEndpoint.init)
        guard address != signalled else { return }
        signalled = address
        latched = nil
        ssrc = nil
        sequence = nil
        lastAccepted = nil
    }

    /// Packets from the latched source that the kernel forwarded: the last one's SSRC and sequence
    /// number and when it arrived, so that a new source is judged against the stream as it is now.
    mutating func forwarded(ssrc packetSSRC: UInt32, sequence packetSequence: UInt16, at instant: ContinuousClock.Instant) {
        guard latched != nil else { return }
        if let lastAccepted, lastAccepted > instant { return }
        ssrc = packetSSRC
        sequence = packetSequence
        lastAccepted = instant
    }

    /// Decides whether a packet from `source` is relayed, moving the latch if the rules allow.
    mutating func admit(
        source: RelayEndpoint, ssrc packetSSRC: UInt32, sequence packetSequence: UInt16?,
        now: ContinuousClock.Instant, policy: RelayLatchPolicy
    ) -> Bool {
        if let latched, latched != source {
            let continues: Bool
            if let ssrc, ssrc == packetSSRC {
                if let sequence, let packetSequence {
                    continues = packetSequence &- sequence &- 1 < policy.sequenceWindow
                } else {
                    continues = true
                }
            } else {
                continues = false
            }
            let silent = lastAccepted.map { now - $0 >= policy.relatchAfterSilence } ?? true
            guard continues || silent || source == signalled else { return false }
            relatchCount += 1
        }
        latched = source
        ssrc = packetSSRC
        if let packetSequence { sequence = packetSequence }
        lastAccepted = now
        return true
    }
}

/// How readily a latched leg moves to a new source.
public struct RelayLatchPolicy: Sendable, Hashable {
    /// A silent latched source may be replaced by any source after this long.
    public var relatchAfterSilence: Duration
    /// How far ahead (in sequence numbers) a same-SSRC packet from a new source may be
    /// and still count as the same stream moving (a NAT rebinding).
    public var sequenceWindow: UInt16

    public init(relatchAfterSilence: Duration = .seconds(2), sequenceWindow: UInt16 = 64) {
        self.relatchAfterSilence = relatchAfterSilence
        self.sequenceWindow = sequenceWindow
    }
}
