/// How the operator ranks carriers that cost the same: lower `preference`
/// first; among equal preference, a weighted random order (`weight` 3 goes
/// first three times as often as `weight` 1; weight 0 only after the others).
public struct CarrierWeight: Sendable, Hashable {
    public var preference: Int
    public var weight: Int

    public init(preference: Int = 0, weight: Int = 1) {
        self.preference = preference
        self.weight = max(0, weight)
    }
}
