import Dispatch

/// One side of a relayed stream: the RTP and RTCP sockets facing one peer,
/// their read sources, and where that peer is (SDP and latch).
/// Confined to its session's queue.
final class RelayLeg {
    let sockets: RelaySocketPair
    var rtpLatch = RelayLatch()
    var rtcpLatch = RelayLatch()
    /// RFC 5761: this peer sends and receives RTCP on the RTP port.
    var rtcpMux = false
    var rtpSource: DispatchSourceRead?
    var rtcpSource: DispatchSourceRead?
    /// Descriptors not yet closed; the ports go back to the pool when it reaches 0.
    var openDescriptors = 2
    var pendingRTP: [RelayDatagram] = []
    var pendingRTCP: [RelayDatagram] = []

    init(sockets: RelaySocketPair) {
        self.sockets = sockets
    }

    func signal(_ peer: MediaPeer?) {
        rtpLatch.signal(peer?.rtp)
        rtcpLatch.signal(peer?.rtcp)
    }

    /// Where RTCP for this peer goes: its RTP destination under mux, else its RTCP latch or SDP address.
    var rtcpDestination: SocketAddress? {
        rtcpMux ? rtpLatch.destination : rtcpLatch.destination
    }
}

/// One m-line relayed: two legs and a transform per direction.
final class RelayStream {
    let mediaIndex: Int
    let legA: RelayLeg
    let legB: RelayLeg
    var transformAToB: MediaPacketTransform?
    var transformBToA: MediaPacketTransform?
    var statistics: MediaStreamStatistics
    var closing = false

    init(mediaIndex: Int, legA: RelayLeg, legB: RelayLeg) {
        self.mediaIndex = mediaIndex
        self.legA = legA
        self.legB = legB
        statistics = MediaStreamStatistics(mediaIndex: mediaIndex)
    }

    func leg(_ side: MediaLegSide) -> RelayLeg { side == .a ? legA : legB }

    func transform(_ direction: RelayDirection) -> MediaPacketTransform? {
        direction == .aToB ? transformAToB : transformBToA
    }
}
