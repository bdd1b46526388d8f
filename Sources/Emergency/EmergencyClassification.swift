/// What a dialled string is, as far as E911 is concerned.
public enum EmergencyClassification: Sendable, Hashable, Codable {
    /// A call for a PSAP; `number` is the emergency number without prefixes (`911`).
    case emergency(number: String)
    /// A call to the location read-back test service (`933`).
    case test(number: String)
    /// An ordinary call.
    case notEmergency

    /// Whether the call takes the emergency path (PSAP or test).
    public var takesEmergencyRoute: Bool { self != .notEmergency }

    /// The number to put in the carrier's Request-URI user part, if any.
    public var serviceNumber: String? {
        switch self {
        case .emergency(let n), .test(let n): return n
        case .notEmergency: return nil
        }
    }

    /// Emergency outranks test, test outranks an ordinary call.
    var rank: Int {
        switch self {
        case .emergency: return 2
        case .test: return 1
        case .notEmergency: return 0
        }
    }
}
