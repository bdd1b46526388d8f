/// One carrier to try for a call, in the order `LeastCostRouter` returns them.
public struct RouteCandidate: Sendable, Hashable {
    /// Why the carrier is where it is in the list.
    public enum Selection: Sendable, Hashable {
        case pinned
        case timeOfDay
        case cost
    }

    public var carrier: String
    /// The carrier's rate for the number; nil for a pinned carrier without one.
    public var rate: Rate?
    /// The carrier's longest matching prefix; nil when `rate` is.
    public var prefix: String?
    public var selection: Selection

    public init(carrier: String, rate: Rate?, prefix: String?, selection: Selection) {
        self.carrier = carrier
        self.rate = rate
        self.prefix = prefix
        self.selection = selection
    }
}
