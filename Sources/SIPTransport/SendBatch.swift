import CSwitchboardShims

/// The datagrams a receiver's thread sends while it handles one received
/// batch: held back and sent together when the batch is done, one
/// `sendmmsg` per socket instead of one `sendto` per datagram. Every reply
/// and forwarded request a batch causes leaves at most a batch's processing
/// time later.
///
/// Active on one thread at a time (the receiver's, between `begin` and
/// `end`); sends from other threads (timers) go out directly.
final class SendBatch {
    private struct Entry {
        let endpoints: UDPEndpoints
        let listener: UDPListener
        let datagram: OutgoingDatagram
    }

    private var entries: [Entry] = []
    private let buffers: DatagramBuffers

    /// `buffers` provides the `sendmmsg` vectors; only this batch uses their send side.
    init(buffers: DatagramBuffers) {
        self.buffers = buffers
        entries.reserveCapacity(buffers.count * 2)
    }

    /// The batch active on the calling thread, if any.
    static var current: SendBatch? {
        guard let raw = sb_thread_send_batch() else { return nil }
        return Unmanaged<SendBatch>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Makes this the calling thread's batch.
    func begin() {
        sb_set_thread_send_batch(Unmanaged.passUnretained(self).toOpaque())
    }

    /// Holds a datagram for `listener`'s socket in `endpoints` back until `end`.
    func add(_ bytes: [UInt8], to destination: SocketAddress, from listener: UDPListener, of endpoints: UDPEndpoints) {
        entries.append(Entry(endpoints: endpoints, listener: listener, datagram: OutgoingDatagram(bytes: bytes, destination: destination)))
    }

    /// Detaches the batch from the thread and sends what it holds, in order,
    /// in runs of the same socket.
    func end() {
        sb_set_thread_send_batch(nil)
        var start = 0
        while start < entries.count {
            let first = entries[start]
            var stop = start + 1
            while stop < entries.count, stop - start < buffers.count, entries[stop].listener === first.listener,
                entries[stop].endpoints === first.endpoints
            {
                stop += 1
            }
            first.endpoints.send(entries[start..<stop].map(\.datagram), from: first.listener, using: buffers)
            start = stop
        }
        entries.removeAll(keepingCapacity: true)
    }
}
