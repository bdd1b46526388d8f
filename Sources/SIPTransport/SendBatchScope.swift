
/// Lets a queue that sends many datagrams in one turn (a shard answering a
/// registrar's group commit) send them the way a receiver's batch does:
/// held back while `run`'s body executes, then one `sendmmsg` per socket.
///
/// Used by one thread at a time: make one per serial queue and call `run`
/// only on it. Inside a receiver's batch (the queue entered synchronously
/// from a receiving thread) the body's datagrams join that batch instead.
public final class SendBatchScope: @unchecked Sendable {
    private let batch: SendBatch

    /// - Parameter capacity: datagrams per `sendmmsg`.
    public init(capacity: Int = 32) {
        batch = SendBatch(buffers: DatagramBuffers(sendingOnly: max(1, capacity)))
    }

    /// Runs `body`, sending its UDP datagrams together when it returns.
    public func run(_ body: () -> Void) {
        guard SendBatch.current == nil else { return body() }
        batch.begin()
        defer { batch.end() }
        body()
    }
}
