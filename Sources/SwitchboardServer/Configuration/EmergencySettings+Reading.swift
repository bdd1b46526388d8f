import Routing
import Emergency
import SIPCore

extension EmergencySettings {
    /// The preset plan widened by `emergency_numbers` and `test_numbers`, with
    /// `access_prefixes` replacing the preset's when given.
    static func readNumberPlan(_ section: inout ConfigurationSection, preset: EmergencyNumberPlan) -> EmergencyNumberPlan {
        let diagnostics = section.diagnostics
        func digitStrings(_ key: String, maxLength: Int) -> [(value: String, path: ConfigurationKeyPath)] {
            section.strings(key, default: []).filter { entry in
                guard (1...maxLength).contains(entry.value.utf8.count), entry.value.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
                    diagnostics.report(.invalid("expected 1 to \(maxLength) digits, got \"\(entry.value)\""), at: entry.path)
                    return false
                }
                return true
            }
        }
        let extra = digitStrings("emergency_numbers", maxLength: 15)
        let tests = digitStrings("test_numbers", maxLength: 15)
        let emergencyNumbers = preset.emergencyNumbers + extra.map(\.value)
        for test in tests where emergencyNumbers.contains(test.value) {
            diagnostics.report(.invalid("\(test.value) is an emergency number, it cannot be a test number"), at: test.path)
        }
        let hasAccess = section.has("access_prefixes")
        let access = digitStrings("access_prefixes", maxLength: 4).map(\.value)
        return EmergencyNumberPlan(
            country: preset.country, countryCallingCode: preset.countryCallingCode, emergencyNumbers: emergencyNumbers,
            testNumbers: preset.testNumbers.union(tests.map(\.value)),
            accessPrefixes: hasAccess ? access : preset.accessPrefixes, trunkPrefixes: preset.trunkPrefixes)
    }

    /// `[emergency.primary]` / `[emergency.secondary]`: host, port, transport.
    static func readSBC(_ section: inout ConfigurationSection, _ key: String) -> EmergencySBC? {
        guard section.has(key) else {
            _ = section.section(key)
            return nil
        }
        var table = section.section(key)
        defer { table.rejectUnknownKeys() }
        let host = table.string("host", default: "")
        let port = table.integer("port", default: 5060, range: 1...65535)
        let transport = table.choice("transport", default: ListenAddress.Transport.udp, what: "transport")
        guard !host.isEmpty else {
            table.report(.invalid("the SBC's host is required"), at: "host")
            return nil
        }
        guard let sipHost = sipHost(host),
            let sbc = try? EmergencySBC(host: sipHost, port: UInt16(port), transport: transport.rawValue)
        else {
            table.report(.invalid("not a host name or IP address: \"\(host)\""), at: "host")
            return nil
        }
        return sbc
    }

    /// A host for a SIP URI, lower-cased: an IP address (IPv6 with or without
    /// brackets, returned without) or an RFC 3261 host name; nil for anything else.
    static func sipHost(_ text: String) -> String? {
        var host = Substring(text)
        if host.first == "[", host.last == "]" { host = host.dropFirst().dropLast() }
        if (try? IPAddress(String(host))) != nil { return host.lowercased() }
        let name = host.lowercased()
        return SIPSettings.isHostName(name) ? name : nil
    }

    /// `sip:911@carrier.example.net;transport=udp`: the next hop and the
    /// Request-URI user (911 when the URI has none).
    static func lastResortRoute(_ text: String) throws(ConfigurationError.Problem) -> EmergencyRoutePlan.LastResortRoute {
        guard let uri = try? SIPURI(text), uri.scheme == .sip || uri.scheme == .sips else {
            throw .invalid("not a sip: or sips: URI: \"\(text)\"")
        }
        let user = uri.user ?? "911"
        let digits = user.hasPrefix("+") ? user.dropFirst() : Substring(user)
        guard (1...15).contains(digits.utf8.count), digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw .invalid("the user part must be the number to dial (\"911\" or a PSAP's +E.164 number), got \"\(user)\"")
        }
        guard let host = sipHost(uri.host) else { throw .invalid("not a host name or IP address: \"\(uri.host)\"") }
        let secure = uri.scheme == .sips
        let transport = uri.transport ?? (secure ? "tls" : "udp")
        guard ListenAddress.Transport(rawValue: transport) != nil else {
            throw .notOneOf(what: "transport", value: transport, expected: ListenAddress.Transport.allCases.map(\.rawValue))
        }
        let port = uri.port ?? (secure ? 5061 : 5060)
        do {
            let next = try EmergencySBC(host: host, port: port, transport: transport)
            return EmergencyRoutePlan.LastResortRoute(trunk: host, next: next, dialledNumber: user)
        } catch {
            throw .invalid(error.description)
        }
    }

    /// An E.164 callback number; with `requireNANP`, one Bandwidth's 911 service accepts.
    static func readCallbackNumber(_ section: inout ConfigurationSection, _ key: String, requireNANP: Bool) -> E164Number? {
        let text = section.string(key, default: "")
        guard !text.isEmpty else { return nil }
        do {
            let number = try E164Number(validating: text)
            if requireNANP, !number.isNANP {
                section.report(.invalid(EmergencyConfigurationError.callbackNumberNotNANP(number).description), at: key)
                return nil
            }
            return number
        } catch {
            section.report(.invalid("\(error.description) (expected +1NXXNXXXXXX)"), at: key)
            return nil
        }
    }

    /// `[[emergency.location]]`: an id, RFC 5139 civic address elements by
    /// their element names, a callback number and a Bandwidth endpoint id.
    static func readLocations(_ section: inout ConfigurationSection) -> [(location: EmergencyLocation, path: ConfigurationKeyPath)] {
        var result: [(location: EmergencyLocation, path: ConfigurationKeyPath)] = []
        var firstPath: [String: ConfigurationKeyPath] = [:]
        for var table in section.tables("location") {
            let id = table.string("id", default: "")
            var valid = true
            if id.isEmpty || !id.utf8.allSatisfy({ ConfigurationKeyPath.isBareKeyByte($0) || $0 == UInt8(ascii: ".") }) {
                table.report(.invalid("id must be letters, digits, '-', '_' or '.' (got \"\(id)\")"), at: "id")
                valid = false
            } else if let first = firstPath[id] {
                table.report(.duplicate("location id \"\(id)\"", of: first.description), at: "id")
                valid = false
            }
            var values: [CivicAddress.Element: String] = [:]
            for element in CivicAddress.Element.allCases {
                let value = table.string(element.rawValue, default: "")
                if value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
                    table.report(.invalid("must not contain control characters"), at: element.rawValue)
                    continue
                }
                values[element] = value
            }
            if let country = values[.country], !country.isEmpty {
                if country.utf8.count == 2, country.utf8.allSatisfy({ ($0 | 0x20) >= 97 && ($0 | 0x20) <= 122 }) {
                    values[.country] = country.uppercased()
                } else {
                    table.report(.invalid("expected an ISO 3166-1 alpha-2 code such as \"US\", got \"\(country)\""), at: "country")
                }
            }
            let callback = readCallbackNumber(&table, "callback_number", requireNANP: false)
            let endpoint = table.string("endpoint_id", default: "")
            if endpoint.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control }) {
                table.report(.invalid(EmergencyConfigurationError.invalidEndpointID(endpoint).description), at: "endpoint_id")
            }
            table.rejectUnknownKeys()
            guard valid else { continue }
            firstPath[id] = table.path
            let location = EmergencyLocation(
                name: id, civicAddress: CivicAddress(values), callbackNumber: callback,
                dynamicLocationEndpointID: endpoint.isEmpty ? nil : endpoint)
            result.append((location, table.path))
        }
        return result
    }
}
