/// The operator's rules around the rate decks: pins, blocks, time-of-day
/// rules and weights for carriers at the same price.
public struct RoutingPolicy: Sendable, Hashable {
    public var pins: [RoutePin]
    public var blocked: [BlockedPrefix]
    public var timeOfDay: [TimeOfDayRule]
    /// Per carrier name; carriers not listed have preference 0, weight 1.
    public var weights: [String: CarrierWeight]

    public init(
        pins: [RoutePin] = [], blocked: [BlockedPrefix] = [], timeOfDay: [TimeOfDayRule] = [],
        weights: [String: CarrierWeight] = [:]
    ) {
        self.pins = pins
        self.blocked = blocked
        self.timeOfDay = timeOfDay
        self.weights = weights
    }
}
