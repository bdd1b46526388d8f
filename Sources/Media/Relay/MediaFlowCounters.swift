/// Counters of one direction of one stream, for CDRs and metrics.
public struct MediaFlowCounters: Sendable, Hashable {
    /// RTP packets and bytes relayed (as sent, after the transform).
    public var packets = 0
    public var bytes = 0
    /// Of `packets` and `bytes`, those the kernel forwarded (``KernelForwarder``), never seen in user space.
    public var kernelPackets = 0
    public var kernelBytes = 0
    public var rtcpPackets = 0
    public var rtcpBytes = 0
    /// Packets received but not relayed, by reason.
    public var dropped: [RelayDropReason: Int] = [:]
    /// When the last valid packet of this direction arrived.
    public var lastPacket: ContinuousClock.Instant?

    public init() {}

    public var droppedTotal: Int { dropped.values.reduce(0, +) }

    mutating func drop(_ reason: RelayDropReason) {
        dropped[reason, default: 0] += 1
    }

    @inline(__always)
    mutating func count(bytes: Int, rtcp: Bool) {
        if rtcp {
            rtcpPackets += 1
            rtcpBytes += bytes
        } else {
            packets += 1
            self.bytes += bytes
        }
    }
}

/// The counters and latch state of one stream (one m-line).
public struct MediaStreamStatistics: Sendable, Hashable {
    /// The m-line index the stream relays.
    public var mediaIndex: Int
    public var aToB = MediaFlowCounters()
    public var bToA = MediaFlowCounters()
    /// Where each side's RTP is latched, if it is.
    public var latchedA: SocketAddress?
    public var latchedB: SocketAddress?

    public init(mediaIndex: Int) {
        self.mediaIndex = mediaIndex
    }

    public subscript(direction: RelayDirection) -> MediaFlowCounters {
        get { direction == .aToB ? aToB : bToA }
        set { if direction == .aToB { aToB = newValue } else { bToA = newValue } }
    }
}
