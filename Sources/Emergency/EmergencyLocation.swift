import Routing

/// A location that can be sent with an emergency call: a civic address,
/// the callback number registered with it, and, for Bandwidth Dynamic
/// Location Routing, the endpoint id the address was provisioned under.
public struct EmergencyLocation: Sendable, Hashable, Codable {
    /// The operator's name for it (`hq-3rd-floor`), for logs and CDRs.
    public var name: String
    public var civicAddress: CivicAddress
    /// The number a PSAP calls back; Bandwidth matches it to a static
    /// location when there is no endpoint id.
    public var callbackNumber: E164Number?
    /// Bandwidth's Dynamic Location Routing endpoint id, sent as the From user.
    public var dynamicLocationEndpointID: String?

    public init(
        name: String, civicAddress: CivicAddress, callbackNumber: E164Number? = nil,
        dynamicLocationEndpointID: String? = nil
    ) {
        self.name = name
        self.civicAddress = civicAddress
        self.callbackNumber = callbackNumber
        self.dynamicLocationEndpointID = dynamicLocationEndpointID
    }
}
