/// Interarrival jitter (RFC 3550 6.4.1, A.8): the smoothed mean deviation of transit time, in timestamp units.
public struct RTPJitterEstimator: Sendable, Hashable {
    private var lastTransit: Int32?
    /// Jitter scaled by 16, as in A.8's integer form, so the 1/16 gain loses no precision.
    private var scaledJitter: UInt32 = 0

    public init() {}

    /// Feeds a packet's RTP timestamp and its arrival time converted to the same clock.
    public mutating func update(rtpTimestamp: UInt32, arrival: UInt32) {
        let transit = Int32(bitPattern: arrival &- rtpTimestamp)
        defer { lastTransit = transit }
        guard let lastTransit else { return }
        let difference = transit &- lastTransit
        let magnitude = UInt32(difference.magnitude)
        // J(i) = J(i-1) + (|D(i-1,i)| - J(i-1))/16, kept as 16*J.
        scaledJitter = scaledJitter &+ magnitude &- ((scaledJitter &+ 8) >> 4)
    }

    /// The value to put in a report block's jitter field.
    public var jitter: UInt32 { scaledJitter >> 4 }
}
