/// Where one side of a stream receives media, as its SDP says.
public struct MediaPeer: Sendable, Hashable {
    public var rtp: SocketAddress
    /// RTP + 1 unless `a=rtcp` (RFC 3605) says otherwise; the RTP address under rtcp-mux.
    public var rtcp: SocketAddress

    public init(rtp: SocketAddress, rtcp: SocketAddress? = nil) {
        self.rtp = rtp
        self.rtcp = rtcp ?? rtp.with(port: rtp.port &+ 1)
    }
}
