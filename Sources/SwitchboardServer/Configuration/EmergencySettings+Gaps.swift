import Emergency

extension EmergencySettings {
    /// Reports what an emergency call would lack as warnings: the file still
    /// loads, because a 911 call must go out whatever is missing.
    func reportGaps(_ section: ConfigurationSection, located: [(location: EmergencyLocation, path: ConfigurationKeyPath)]) {
        let table = section.path
        func warn(_ text: String, _ path: ConfigurationKeyPath) { section.diagnostics.warn(text, at: path) }
        guard isConfigured else {
            warn("E911 is not configured: 911 calls have no route (set [emergency.primary] or last_resort)", table)
            return
        }
        if let primary {
            if secondary == nil {
                warn("no [emergency.secondary]: nothing to fail over to when \(primary.hostPort) fails", table.appending("primary"))
            }
            if lastResort == nil { warn("no last_resort: a 911 call fails when both E911 SBCs fail", table) }
        } else if let lastResortURI {
            warn(
                "no [emergency.primary]: 911 calls go straight to the last resort \(lastResortURI), and 933 has no route",
                table)
        } else {
            warn("no [emergency.primary] and no last_resort: 911 calls have no route", table)
        }
        if fallbackCallbackNumber == nil {
            warn("no fallback_callback_number: a caller without a NANP callback number is sent without P-Asserted-Identity", table)
        }
        if notifySIP.isEmpty, notifyWebhooks.isEmpty {
            warn("no notify_sip or notify_webhooks: nobody on site is told when 911 is dialled (Kari's Law)", table)
        }
        if defaultLocation == nil {
            warn("no default_location: a caller that no [[emergency.assign]] matches is sent without a location", table)
        }
        let used = Set(assignments.map(\.location) + (defaultLocation.map { [$0] } ?? []))
        for (location, path) in located {
            let name = "location \"\(location.name)\""
            let missing = location.civicAddress.missingForDispatch
            if !missing.isEmpty {
                warn("\(name) is not dispatchable, missing \(missing.map(\.rawValue).joined(separator: ", "))", path)
            }
            if !location.civicAddress.hasInBuildingDetail {
                warn("\(name) has no FLR, ROOM, UNIT, SEAT or LOC (RAY BAUM'S Act dispatchable location)", path)
            }
            if let number = location.callbackNumber {
                if !number.isNANP {
                    warn(
                        "\(name): \(number) is not a NANP number, calls from it carry fallback_callback_number",
                        path.appending("callback_number"))
                }
            } else {
                warn("\(name) has no callback_number: calls from it carry the caller's own number or fallback_callback_number", path)
            }
            if !used.contains(location.name) {
                warn("\(name) is neither assigned nor the default_location", path)
            }
        }
    }

    /// The listen address emergency INVITEs leave from: `source`, else the
    /// first listen address of the primary SBC's transport (UDP without one).
    public func effectiveSource(listen: [ListenAddress]) -> ListenAddress? {
        if let source { return source }
        let transport = primary?.transport ?? ListenAddress.Transport.udp.rawValue
        return listen.first { $0.transport.rawValue == transport }
    }

    /// Checks `source` against the final listen addresses (after `--listen`)
    /// and warns when calls would leave from an address Bandwidth cannot know.
    func validate(listen: [ListenAddress], at table: ConfigurationKeyPath, diagnostics: ConfigurationDiagnostics) {
        if let source {
            if !listen.contains(source) {
                let addresses = listen.map(\.description).joined(separator: ", ")
                diagnostics.report(
                    .invalid("\(source) is not one of the [sip] listen addresses (\(addresses))"), at: table.appending("source"))
                return
            }
            if let primary, source.transport.rawValue != primary.transport {
                diagnostics.report(
                    .invalid("the SBCs use \(primary.transport), the source is \(source.transport.rawValue)"),
                    at: table.appending("source"))
                return
            }
        }
        guard let primary else { return }
        guard let effective = effectiveSource(listen: listen) else {
            diagnostics.warn(
                "no \(primary.transport) listen address: emergency calls cannot leave from a static address", at: table)
            return
        }
        if let address = try? IPAddress(effective.host), Self.isLocalOnly(address) {
            diagnostics.warn(
                "emergency calls leave from \(effective), not an address Bandwidth can have on file (set source)",
                at: source == nil ? table : table.appending("source"))
        }
    }

    /// Loopback and unspecified addresses: never the static IP of a site.
    static func isLocalOnly(_ address: IPAddress) -> Bool {
        if address.isIPv4 { return address.bytes[0] == 127 || address.bytes.allSatisfy { $0 == 0 } }
        return address.bytes.dropLast().allSatisfy { $0 == 0 } && address.bytes[15] <= 1
    }
}
