import Routing
import SIPCore

/// What least-cost routing decided for one call: the normalized number and
/// the carriers to try, first choice first.
public struct RoutingDecision: Hashable, Sendable {
    /// One carrier to try.
    public struct Candidate: Hashable, Sendable {
        /// Why a carrier is at its position.
        public enum Reason: Hashable, Sendable, CustomStringConvertible {
            /// Named by a `[[routing.pin]]` (its key path).
            case pin(String, exclusive: Bool)
            /// Preferred by a `[[routing.time_rule]]` that holds now (its key path).
            case timeRule(String)
            /// Cheaper than the carriers after it.
            case cost
            /// As cheap as another carrier, ranked by `preference`.
            case preference(Int)
            /// As cheap as another carrier of the same preference, drawn by `weight`.
            case weight(Int)

            public var description: String {
                switch self {
                case .pin(let key, let exclusive): exclusive ? "pin \(key) (exclusive)" : "pin \(key)"
                case .timeRule(let key): "time rule \(key)"
                case .cost: "cost"
                case .preference(let preference): "equal cost, preference \(preference)"
                case .weight(let weight): "equal cost, weighted draw (weight \(weight))"
                }
            }
        }

        public var carrier: CarrierProfile
        /// The carrier's rate; nil for a pinned carrier whose deck does not price the number.
        public var rate: Rate?
        /// The deck prefix that matched; nil when `rate` is.
        public var prefix: String?
        public var reason: Reason
        /// The number as the carrier wants it written (`number_format`).
        public var formattedNumber: String
        /// Request-URIs towards the primary, then the secondary termination host.
        public var requestURIs: [SIPURI]
    }

    /// The dialled string as given.
    public var dialled: String
    public var number: E164Number
    /// The name of the dial plan that normalized the number.
    public var dialPlan: String
    public var candidates: [Candidate]
}
