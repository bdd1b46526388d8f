/// When a packet was captured: seconds since the Unix epoch plus nanoseconds.
///
/// Kept as two integers so nanosecond pcap and pcapng timestamps survive
/// without the rounding a `Double` would add.
public struct CaptureTimestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var seconds: Int64
    /// Always below 1_000_000_000.
    public var nanoseconds: UInt32

    public init(seconds: Int64, nanoseconds: UInt32) {
        self.seconds = seconds &+ Int64(nanoseconds / 1_000_000_000)
        self.nanoseconds = nanoseconds % 1_000_000_000
    }

    public static let zero = CaptureTimestamp(seconds: 0, nanoseconds: 0)

    public static func < (lhs: CaptureTimestamp, rhs: CaptureTimestamp) -> Bool {
        (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
    }

    /// `seconds.nanoseconds` with nine fraction digits, as tshark prints `frame.time_epoch`.
    public var description: String {
        let fraction = String(nanoseconds)
        return "\(seconds).\(String(repeating: "0", count: 9 - fraction.count))\(fraction)"
    }
}
