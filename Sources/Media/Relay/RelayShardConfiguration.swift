/// How a relay shard reads its sockets and how long it keeps its queue while media flows.
public struct RelayShardConfiguration: Sendable, Hashable {
    /// Datagrams per `recvmmsg`/`sendmmsg` call.
    public var batchSize: Int
    /// Largest datagram relayed; longer ones are dropped as truncated.
    public var maxDatagramSize: Int
    /// After relaying, the shard waits this long in `epoll_wait` for the next packet before it
    /// gives its queue back to Dispatch (whose read source wakes it again on the next packet).
    /// While media flows the shard is woken by the kernel directly, as a poller thread would be.
    public var holdTime: Duration
    /// The longest the shard keeps its queue in one go, so that timers and other work
    /// queued without ringing (``RelayShard/sync(execute:)`` rings) still run promptly.
    public var turnLength: Duration

    public init(
        batchSize: Int = 32, maxDatagramSize: Int = 2048, holdTime: Duration = .milliseconds(20),
        turnLength: Duration = .milliseconds(50)
    ) {
        self.batchSize = batchSize
        self.maxDatagramSize = maxDatagramSize
        self.holdTime = holdTime
        self.turnLength = turnLength
    }
}
