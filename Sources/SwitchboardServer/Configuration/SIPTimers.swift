/// `[sip.timers]`: the RFC 3261 17.1.1.1 timer base values.
public struct SIPTimers: Hashable, Sendable {
    /// T1, round-trip time estimate (RFC 3261 default 500 ms).
    public var t1: Duration
    /// T2, longest retransmit interval for non-INVITE requests and INVITE responses (default 4 s).
    public var t2: Duration
    /// T4, longest time a message stays in the network (default 5 s).
    public var t4: Duration

    public init(t1: Duration = .milliseconds(500), t2: Duration = .milliseconds(4000), t4: Duration = .milliseconds(5000)) {
        self.t1 = t1
        self.t2 = t2
        self.t4 = t4
    }

    init(reading section: inout ConfigurationSection) {
        let t1 = section.integer("t1_ms", default: 500, range: 50...10_000)
        let t2 = section.integer("t2_ms", default: 4000, range: 100...60_000)
        let t4 = section.integer("t4_ms", default: 5000, range: 100...60_000)
        if t2 < t1 {
            section.report(.invalid("\(t2) is less than t1_ms (\(t1))"), at: "t2_ms")
        }
        self.t1 = .milliseconds(t1)
        self.t2 = .milliseconds(t2)
        self.t4 = .milliseconds(t4)
    }
}
