/// A wall-clock instant, milliseconds since the Unix epoch.
///
/// Nonces carry their issue time so that any node sharing the secret can
/// check them; the caller reads the clock, digest code never does.
public struct WallTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var millisecondsSinceEpoch: Int64

    public init(millisecondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = millisecondsSinceEpoch
    }

    public init(secondsSinceEpoch: Int64) {
        self.millisecondsSinceEpoch = secondsSinceEpoch &* 1000
    }

    public var description: String { "\(millisecondsSinceEpoch)ms" }

    public static func < (a: WallTime, b: WallTime) -> Bool {
        a.millisecondsSinceEpoch < b.millisecondsSinceEpoch
    }

    /// The instant `duration` later, saturating rather than overflowing.
    public static func + (t: WallTime, duration: Duration) -> WallTime {
        let (ms, overflow) = t.millisecondsSinceEpoch.addingReportingOverflow(duration.wholeMilliseconds)
        return WallTime(millisecondsSinceEpoch: overflow ? (duration < .zero ? .min : .max) : ms)
    }
}

extension Duration {
    /// Whole milliseconds, saturating at the bounds of `Int64`.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (fromSeconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = fromSeconds.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : sum
    }
}
