/// The timeouts a stream connection is made with, in nanoseconds: a reload
/// changes them for connections made afterwards.
struct StreamTimeouts: Sendable, Hashable {
    /// No traffic (or no end to the message being received) for this long closes the connection.
    var idle: UInt64
    /// A transform handshake (TLS) not complete this long after the connection opened closes it.
    var handshake: UInt64

    init(idle: Double, handshake: Double) {
        self.idle = Self.nanoseconds(idle)
        self.handshake = Self.nanoseconds(handshake)
    }

    private static func nanoseconds(_ seconds: Double) -> UInt64 {
        seconds <= 0 ? 0 : UInt64(min(seconds, 1e9) * 1e9)
    }
}
