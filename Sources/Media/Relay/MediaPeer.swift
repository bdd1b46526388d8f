/// Where one side of a stream receives media, as its SDP says.
public struct MediaPeer: Sendable, Hashable {
    public var rtp: MediaAddress
    /// RTP + 1 unless `a=rtcp` (RFC 3605) says otherwise; the RTP address under rtcp-mux.
    public var rtcp: MediaAddress

    public init(rtp: MediaAddress, rtcp: MediaAddress? = nil) {
        self.rtp = rtp
        self.rtcp = rtcp ?? rtp.with(port: rtp.port &+ 1)
    }
}
