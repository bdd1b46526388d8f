import Routing

/// Where the location sent with an emergency call came from, and what is
/// missing from it. An emergency call is routed whatever this says: a gap is
/// reported (log, CDR, notification), never a reason to refuse the call.
public struct LocationResolution: Sendable, Hashable, Codable {
    public enum Source: String, Sendable, Hashable, Codable {
        case device
        case user
        case network
        case `default`
        /// Nothing matched and there is no default.
        case none
    }

    /// Something the PSAP will not get.
    public enum Gap: Sendable, Hashable, Codable, CustomStringConvertible {
        /// No location at all; Bandwidth falls back to the callback number's
        /// registered address, or a national call centre.
        case noLocation
        /// The address lacks what a PSAP needs to reach the building.
        case notDispatchable(missing: [CivicAddress.Element])
        /// The address has no floor, unit, room, seat or free-text detail.
        case noInBuildingDetail
        /// Neither the location nor the caller has a callback number.
        case noCallbackNumber
        /// The caller's source address is not an IP address; network
        /// assignments were skipped.
        case unparsableSourceAddress(String)

        public var description: String {
            switch self {
            case .noLocation: return "no location"
            case .notDispatchable(let m): return "not dispatchable, missing " + m.map(\.rawValue).joined(separator: ",")
            case .noInBuildingDetail: return "no floor/room"
            case .noCallbackNumber: return "no callback number"
            case .unparsableSourceAddress(let s): return "source address not an IP: \(s)"
            }
        }
    }

    public var location: EmergencyLocation?
    public var source: Source
    public var callbackNumber: E164Number?
    public var gaps: [Gap]

    public init(location: EmergencyLocation?, source: Source, callbackNumber: E164Number?, gaps: [Gap]) {
        self.location = location
        self.source = source
        self.callbackNumber = callbackNumber
        self.gaps = gaps
    }

    /// True when the call carries a dispatchable location and a callback number.
    public var isComplete: Bool { gaps.isEmpty }
}
