/// The relay's ports for one m-line as written into the SDP of one side.
public struct SDPRelayPorts: Sendable, Hashable {
    public var rtp: UInt16
    public var rtcp: UInt16

    public init(rtp: UInt16, rtcp: UInt16? = nil) {
        self.rtp = rtp
        self.rtcp = rtcp ?? rtp &+ 1
    }

    /// The ports of a leg's socket pair.
    public init(_ sockets: RelaySocketPair) {
        self.init(rtp: sockets.rtp.port, rtcp: sockets.rtcp.port)
    }
}
