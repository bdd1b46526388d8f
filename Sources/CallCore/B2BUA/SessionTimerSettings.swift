/// RFC 4028 session timers offered on the carrier leg: Switchboard asks to
/// be the refresher and tears the call down when a refresh fails or the
/// session expires.
public struct SessionTimerSettings: Sendable, Equatable {
    /// Session-Expires offered, in seconds (RFC 4028 recommends 1800).
    public var interval: UInt32
    /// Min-SE offered, in seconds (at least 90, RFC 4028 4).
    public var minimum: UInt32

    public init(interval: UInt32 = 1800, minimum: UInt32 = 90) {
        self.interval = max(interval, 90)
        self.minimum = max(minimum, 90)
    }
}
