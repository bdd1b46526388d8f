/// What the media relay saw on a call, when it relayed the media: packets
/// and bytes in each direction and packets lost as the receivers reported them.
public struct MediaCounters: Sendable, Hashable {
    public var packetsFromCaller: UInt64
    public var bytesFromCaller: UInt64
    public var packetsToCaller: UInt64
    public var bytesToCaller: UInt64
    /// Packets lost, as reported by RTCP receiver reports of both sides.
    public var packetsLost: UInt64

    public init(
        packetsFromCaller: UInt64 = 0, bytesFromCaller: UInt64 = 0, packetsToCaller: UInt64 = 0, bytesToCaller: UInt64 = 0,
        packetsLost: UInt64 = 0
    ) {
        self.packetsFromCaller = packetsFromCaller
        self.bytesFromCaller = bytesFromCaller
        self.packetsToCaller = packetsToCaller
        self.bytesToCaller = bytesToCaller
        self.packetsLost = packetsLost
    }
}
