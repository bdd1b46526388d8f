/// Which calls to read: those that started in `since ..< until` (either
/// bound open when nil), oldest first, at most `limit` rows.
public struct CDRQuery: Sendable, Hashable {
    /// Inclusive, seconds since 1970-01-01T00:00:00Z.
    public var since: Double?
    /// Exclusive, seconds since 1970-01-01T00:00:00Z.
    public var until: Double?
    public var limit: Int?

    public init(since: Double? = nil, until: Double? = nil, limit: Int? = nil) {
        self.since = since
        self.until = until
        self.limit = limit
    }
}
