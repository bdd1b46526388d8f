/// The relay's local addresses of one stream, to be written into each side's SDP.
public struct MediaStreamPorts: Sendable, Hashable {
    public var mediaIndex: Int
    /// Faces side A: goes into the SDP sent to A.
    public var a: RelaySocketPair
    /// Faces side B: goes into the SDP sent to B.
    public var b: RelaySocketPair

    public subscript(side: MediaLegSide) -> RelaySocketPair { side == .a ? a : b }
}
