/// What kind of call a record is about: it decides which routing applied
/// and how operators bill and report it.
public enum CallClass: String, Sendable, Hashable, CaseIterable {
    /// Sent to a carrier by least-cost routing.
    case trunk
    /// An emergency call, routed by E911 policy.
    case emergency
    /// Between users of this Switchboard; no carrier involved.
    case local
}
