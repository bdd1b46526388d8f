/// Bounds the parser enforces before it does any work proportional to input.
///
/// Defaults fit large WebRTC offers (many candidates, several m= sections)
/// with room to spare, while keeping a hostile body cheap to reject.
public struct SDPParseLimits: Sendable, Hashable {
    /// Largest accepted body, in bytes.
    public var maxBytes: Int
    /// Most lines accepted.
    public var maxLines: Int
    /// Most `m=` sections accepted.
    public var maxMediaDescriptions: Int

    public init(maxBytes: Int = 65_536, maxLines: Int = 2_048, maxMediaDescriptions: Int = 64) {
        self.maxBytes = maxBytes
        self.maxLines = maxLines
        self.maxMediaDescriptions = maxMediaDescriptions
    }
}
