/// Timer values of RFC 3261 17 (Table 4) and RFC 6026, in milliseconds.
///
/// T1, T2 and T4 are configurable; the others derive from them as the RFCs
/// say. Timers that only absorb retransmissions (D, I, J, K) are zero over
/// reliable transports.
public struct TransactionTimers: Sendable, Hashable {
    /// RTT estimate (RFC 3261 17.1.1.1), 500 ms by default.
    public var t1: Int64
    /// Maximum retransmission interval for non-INVITE requests and INVITE responses, 4 s.
    public var t2: Int64
    /// Maximum time a message stays in the network, 5 s.
    public var t4: Int64
    /// Timer D over unreliable transports: "at least 32 seconds" (RFC 3261 17.1.1.2).
    public var timerDUnreliable: Int64
    /// How long an INVITE server transaction waits for the TU's first
    /// response before sending 100 Trying itself (RFC 3261 17.2.1: 200 ms).
    public var tryingDelay: Int64
    /// Send 100 Trying as soon as an INVITE arrives, as a stateful proxy
    /// does (RFC 3261 16.2), instead of after `tryingDelay`.
    public var sendTryingImmediately: Bool

    public init(
        t1: Int64 = 500, t2: Int64 = 4_000, t4: Int64 = 5_000, timerDUnreliable: Int64 = 32_000,
        tryingDelay: Int64 = 200, sendTryingImmediately: Bool = false
    ) {
        precondition(t1 > 0 && t2 >= t1 && t4 >= 0 && timerDUnreliable >= 0 && tryingDelay >= 0)
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
        self.timerDUnreliable = timerDUnreliable
        self.tryingDelay = tryingDelay
        self.sendTryingImmediately = sendTryingImmediately
    }

    /// INVITE request retransmit interval, initially T1, doubling (unreliable only).
    public var timerA: Int64 { t1 }
    /// INVITE transaction timeout, 64*T1.
    public var timerB: Int64 { 64 * t1 }
    /// Wait time for response retransmits: 32 s unreliable, 0 reliable.
    public func timerD(reliable: Bool) -> Int64 { reliable ? 0 : timerDUnreliable }
    /// Non-INVITE request retransmit interval, initially T1 (unreliable only).
    public var timerE: Int64 { t1 }
    /// Non-INVITE transaction timeout, 64*T1.
    public var timerF: Int64 { 64 * t1 }
    /// INVITE response retransmit interval, initially T1 (unreliable only).
    public var timerG: Int64 { t1 }
    /// Wait time for ACK receipt, 64*T1.
    public var timerH: Int64 { 64 * t1 }
    /// Wait time for ACK retransmits: T4 unreliable, 0 reliable.
    public func timerI(reliable: Bool) -> Int64 { reliable ? 0 : t4 }
    /// Wait time for non-INVITE request retransmits: 64*T1 unreliable, 0 reliable.
    public func timerJ(reliable: Bool) -> Int64 { reliable ? 0 : 64 * t1 }
    /// Wait time for response retransmits: T4 unreliable, 0 reliable.
    public func timerK(reliable: Bool) -> Int64 { reliable ? 0 : t4 }
    /// Wait time for INVITE retransmits after a 2xx (RFC 6026 Accepted), 64*T1.
    public var timerL: Int64 { 64 * t1 }
    /// Wait time for 2xx retransmits in the client's Accepted state (RFC 6026), 64*T1.
    public var timerM: Int64 { 64 * t1 }
}
