import Routing

/// What is known about the party placing an emergency call, as the call
/// core extracts it from the INVITE and the registration.
public struct EmergencyCaller: Sendable, Hashable, Codable {
    /// The caller's user (AOR user part, `alice`), as location assignments name it.
    public var user: String
    public var displayName: String?
    /// Device identifiers seen on the call or its registration, most specific first.
    public var devices: [DeviceKey]
    /// The address the INVITE came from (after any NAT), as text.
    public var sourceAddress: String?
    /// The caller's own DID, if it has one: the callback number when the
    /// location has none.
    public var number: E164Number?
    /// The caller's AOR (`sip:alice@pbx.example.com`): the PIDF-LO entity and
    /// where a PSAP callback is routed.
    public var addressOfRecord: String

    public init(
        user: String, addressOfRecord: String, displayName: String? = nil, devices: [DeviceKey] = [],
        sourceAddress: String? = nil, number: E164Number? = nil
    ) {
        self.user = user
        self.addressOfRecord = addressOfRecord
        self.displayName = displayName
        self.devices = devices
        self.sourceAddress = sourceAddress
        self.number = number
    }
}
