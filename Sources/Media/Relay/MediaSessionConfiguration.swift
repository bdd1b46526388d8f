/// Per-session relay parameters, from the `[media]` section of the configuration.
public struct MediaSessionConfiguration: Sendable, Hashable {
    /// A session with no packet on any stream for this long is reported dead.
    public var mediaTimeout: Duration
    /// How often the timeout is checked.
    public var timeoutCheckInterval: Duration
    public var latchPolicy: RelayLatchPolicy
    /// Datagrams per `recvmmsg`/`sendmmsg` call.
    public var batchSize: Int
    /// Largest datagram relayed; longer ones are dropped as truncated.
    public var maxDatagramSize: Int

    public init(
        mediaTimeout: Duration = .seconds(60), timeoutCheckInterval: Duration = .seconds(5),
        latchPolicy: RelayLatchPolicy = RelayLatchPolicy(), batchSize: Int = 16, maxDatagramSize: Int = 2048
    ) {
        self.mediaTimeout = mediaTimeout
        self.timeoutCheckInterval = timeoutCheckInterval
        self.latchPolicy = latchPolicy
        self.batchSize = batchSize
        self.maxDatagramSize = maxDatagramSize
    }
}

/// What the relay reports when a session's media stopped.
public struct MediaSessionTimeout: Sendable, Hashable {
    public var sessionID: String
    /// The last packet on any stream, nil when none ever arrived.
    public var lastPacket: ContinuousClock.Instant?
    public var statistics: [MediaStreamStatistics]
}
