/// The operator's location assignments: per device, per user, per network
/// (subnet → building) and a default. One immutable value per configuration
/// snapshot.
public struct EmergencyLocationDirectory: Sendable {
    public var byDevice: [DeviceKey: EmergencyLocation]
    public var byUser: [String: EmergencyLocation]
    /// Searched longest prefix first, whatever order they are given in.
    public private(set) var byNetwork: [(network: IPNetwork, location: EmergencyLocation)]
    public var defaultLocation: EmergencyLocation?

    public init(
        byDevice: [DeviceKey: EmergencyLocation] = [:], byUser: [String: EmergencyLocation] = [:],
        byNetwork: [(IPNetwork, EmergencyLocation)] = [], defaultLocation: EmergencyLocation? = nil
    ) {
        self.byDevice = byDevice
        self.byUser = byUser
        self.byNetwork = []
        self.defaultLocation = defaultLocation
        for (n, l) in byNetwork { assign(l, to: n) }
    }

    public mutating func assign(_ location: EmergencyLocation, to network: IPNetwork) {
        byNetwork.append((network, location))
        byNetwork.sort { $0.network.prefixLength > $1.network.prefixLength }
    }

    /// Picks the caller's location: a device assignment beats a user
    /// assignment beats a network assignment beats the default, because the
    /// more specific assignment is the one an administrator made on purpose
    /// (a desk phone's MAC outlives whoever logs in to it).
    ///
    /// The callback number is the location's, else the caller's own, else
    /// the default location's; every shortfall is listed in `gaps`.
    public func resolve(_ caller: EmergencyCaller) -> LocationResolution {
        var gaps: [LocationResolution.Gap] = []
        var found: (EmergencyLocation, LocationResolution.Source)?
        for key in caller.devices {
            if let l = byDevice[key] {
                found = (l, .device)
                break
            }
        }
        if found == nil, let l = byUser[caller.user] { found = (l, .user) }
        if found == nil, let text = caller.sourceAddress {
            do {
                let ip = try IPAddress(text)
                if let hit = byNetwork.first(where: { $0.network.contains(ip) }) { found = (hit.location, .network) }
            } catch {
                gaps.append(.unparsableSourceAddress(text))
            }
        }
        if found == nil, let l = defaultLocation { found = (l, .default) }

        let callback = found?.0.callbackNumber ?? caller.number ?? defaultLocation?.callbackNumber
        if let (location, _) = found {
            let missing = location.civicAddress.missingForDispatch
            if !missing.isEmpty { gaps.append(.notDispatchable(missing: missing)) }
            if !location.civicAddress.hasInBuildingDetail { gaps.append(.noInBuildingDetail) }
        } else {
            gaps.append(.noLocation)
        }
        if callback == nil { gaps.append(.noCallbackNumber) }
        return LocationResolution(location: found?.0, source: found?.1 ?? .none, callbackNumber: callback, gaps: gaps)
    }
}
