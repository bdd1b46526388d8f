/// One side of a relayed stream: the RTP and RTCP sockets facing one peer,
/// their places in the shard's epoll set, and where that peer is (SDP and latch).
/// Confined to its shard's queue.
final class RelayLeg {
    let sockets: RelaySocketPair
    /// The local RTP address, as kernel forwarding rules hold it.
    let localRTP: RelayEndpoint
    var rtpLatch = RelayLatch()
    var rtcpLatch = RelayLatch()
    /// RFC 5761: this peer sends and receives RTCP on the RTP port.
    var rtcpMux = false
    /// Slots in the shard's epoll set while the sockets are read.
    var rtpSlot: Int?
    var rtcpSlot: Int?
    /// Until the descriptors are closed.
    var isOpen = true

    init(sockets: RelaySocketPair) {
        self.sockets = sockets
        localRTP = RelayEndpoint(sockets.rtp)
    }

    func signal(_ peer: MediaPeer?) {
        rtpLatch.signal(peer?.rtp)
        rtcpLatch.signal(peer?.rtcp)
    }

    /// Where RTCP for this peer goes: its RTP destination under mux, else its RTCP latch or SDP address.
    var rtcpDestination: RelayEndpoint? {
        rtcpMux ? rtpLatch.destination : rtcpLatch.destination
    }

    /// The socket RTCP for this peer leaves from: the RTP socket under mux.
    var rtcpDescriptor: Int32 {
        rtcpMux ? sockets.rtpDescriptor : sockets.rtcpDescriptor
    }
}

/// One m-line relayed: two legs, a transform and counters per direction.
/// Confined to its shard's queue.
final class RelayStream {
    let mediaIndex: Int
    let legA: RelayLeg
    let legB: RelayLeg
    let latchPolicy: RelayLatchPolicy
    var transformAToB: MediaPacketTransform?
    var transformBToA: MediaPacketTransform?
    var aToB = MediaFlowCounters()
    var bToA = MediaFlowCounters()
    /// The rule forwarding each direction in the kernel, if one is installed.
    var kernelAToB: InstalledKernelRule?
    var kernelBToA: InstalledKernelRule?
    var closing = false

    init(mediaIndex: Int, legA: RelayLeg, legB: RelayLeg, latchPolicy: RelayLatchPolicy) {
        self.mediaIndex = mediaIndex
        self.legA = legA
        self.legB = legB
        self.latchPolicy = latchPolicy
    }

    @inline(__always)
    func leg(_ side: MediaLegSide) -> RelayLeg { side == .a ? legA : legB }

    @inline(__always)
    func transform(_ direction: RelayDirection) -> MediaPacketTransform? {
        direction == .aToB ? transformAToB : transformBToA
    }

    func drop(_ reason: RelayDropReason, _ direction: RelayDirection) {
        if direction == .aToB { aToB.drop(reason) } else { bToA.drop(reason) }
    }

    @inline(__always)
    func received(_ direction: RelayDirection, at now: ContinuousClock.Instant) {
        if direction == .aToB { aToB.lastPacket = now } else { bToA.lastPacket = now }
    }

    @inline(__always)
    func sent(_ direction: RelayDirection, bytes: Int, rtcp: Bool) {
        if direction == .aToB { aToB.count(bytes: bytes, rtcp: rtcp) } else { bToA.count(bytes: bytes, rtcp: rtcp) }
    }

    /// Counters and latches as the rest of Switchboard sees them.
    var statistics: MediaStreamStatistics {
        var s = MediaStreamStatistics(mediaIndex: mediaIndex)
        s.aToB = aToB
        s.bToA = bToA
        s.latchedA = legA.rtpLatch.latched?.socketAddress
        s.latchedB = legB.rtpLatch.latched?.socketAddress
        return s
    }
}
