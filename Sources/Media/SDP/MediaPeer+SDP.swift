import SIPCore

extension MediaPeer {
    /// Where the sender of `session` receives the stream of m-line `media`:
    /// its connection address and port, RTCP from `a=rtcp` (RFC 3605), the
    /// RTP port under `a=rtcp-mux`. nil when the stream is disabled (port 0)
    /// or the address is a host name (the signalling layer resolves names).
    public init?(media: MediaDescription, in session: SessionDescription) {
        guard media.port != 0, let connection = media.effectiveConnection(in: session),
            let rtp = SocketAddress(ip: connection.address, port: media.port)
        else { return nil }
        var rtcp = rtp.with(port: media.port &+ 1)
        if media.isRTCPMuxed {
            rtcp = rtp
        } else if let attribute = media.rtcp {
            let host = attribute.connection.flatMap { SocketAddress(ip: $0.address, port: attribute.port) }
            rtcp = host ?? rtp.with(port: attribute.port)
        }
        self.init(rtp: rtp, rtcp: rtcp)
    }
}
