/// Concurrent calls on one carrier trunk against its channel limit.
/// Emergency calls always get a channel, even beyond the limit.
public struct ChannelCounter: Sendable, Hashable {
    /// Nil for no limit.
    public var limit: Int?
    public private(set) var inUse = 0

    public init(limit: Int?) { self.limit = limit }

    /// Takes a channel for a new call; false when the trunk is full (try the next carrier).
    public mutating func acquire(emergency: Bool = false) -> Bool {
        if !emergency, let limit, inUse >= limit { return false }
        inUse += 1
        return true
    }

    /// Returns the channel of a call that ended (or was never answered).
    public mutating func release() {
        assert(inUse > 0, "channel released more often than acquired")
        inUse = max(0, inUse - 1)
    }

    /// Channels left; nil for no limit.
    public var available: Int? { limit.map { max(0, $0 - inUse) } }
}
