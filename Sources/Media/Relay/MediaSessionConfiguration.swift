/// Per-session relay parameters, from the `[media]` section of the configuration.
public struct MediaSessionConfiguration: Sendable, Hashable {
    /// A session with no packet on any stream for this long is reported dead.
    public var mediaTimeout: Duration
    /// How often the timeout is checked.
    public var timeoutCheckInterval: Duration
    public var latchPolicy: RelayLatchPolicy

    public init(
        mediaTimeout: Duration = .seconds(60), timeoutCheckInterval: Duration = .seconds(5),
        latchPolicy: RelayLatchPolicy = RelayLatchPolicy()
    ) {
        self.mediaTimeout = mediaTimeout
        self.timeoutCheckInterval = timeoutCheckInterval
        self.latchPolicy = latchPolicy
    }
}

/// What the relay reports when a session's media stopped.
public struct MediaSessionTimeout: Sendable, Hashable {
    public var sessionID: String
    /// The last packet on any stream, nil when none ever arrived.
    public var lastPacket: ContinuousClock.Instant?
    public var statistics: [MediaStreamStatistics]
}
