/// The RTP and RTCP sockets of one leg, bound on RTP = even port, RTCP = RTP + 1.
///
/// The descriptors belong to whoever holds the pair: a session closes them
/// when its stream closes (after taking them out of its shard's epoll set);
/// a pair never handed to a session is closed with ``closeUnstarted()``.
/// Either way the ports go back to the pool with ``RelayPortPool/release(_:at:)``.
public struct RelaySocketPair: Sendable, Hashable {
    /// The local RTP address (the port is even).
    public let rtp: SocketAddress
    public var rtcp: SocketAddress { rtp.with(port: rtp.port + 1) }
    let rtpDescriptor: Int32
    let rtcpDescriptor: Int32

    /// Closes both sockets of a pair that was never handed to a session.
    public func closeUnstarted() {
        close()
    }

    /// Closes both sockets; they must not be in a relay shard's set any more.
    func close() {
        RelaySyscall.close(rtpDescriptor)
        RelaySyscall.close(rtcpDescriptor)
    }
}
