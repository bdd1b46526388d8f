/// How a device is recognised when it calls: its `+sip.instance` (RFC 5626
/// 4.1), its MAC address, or the identifier a provisioning system puts in
/// its User-Agent. Values are normalized so configuration and signalling
/// compare equal.
public struct DeviceKey: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        case instance
        case mac
        case userAgent
    }

    public let kind: Kind
    public let value: String

    /// A `+sip.instance` value, with or without the `<>` and quotes it
    /// travels in; `urn:uuid:` URNs compare case-insensitively (RFC 4122 3).
    public static func instance(_ text: String) -> DeviceKey {
        var s = Substring(text)
        if s.first == "\"", s.last == "\"", s.count >= 2 { s = s.dropFirst().dropLast() }
        if s.first == "<", s.last == ">", s.count >= 2 { s = s.dropFirst().dropLast() }
        return DeviceKey(kind: .instance, value: s.lowercased())
    }

    /// A MAC address in any of the usual spellings (`00:1A:2b…`, `001a.2b…`, `001A2B…`).
    public static func mac(_ text: String) throws(EmergencyConfigurationError) -> DeviceKey {
        let hex = text.lowercased().filter { $0 != ":" && $0 != "-" && $0 != "." }
        guard hex.count == 12, hex.allSatisfy(\.isHexDigit) else { throw .invalidMACAddress(text) }
        return DeviceKey(kind: .mac, value: hex)
    }

    /// An identifier carried in User-Agent, compared exactly.
    public static func userAgent(_ text: String) -> DeviceKey { DeviceKey(kind: .userAgent, value: text) }

    /// `mac:001a2b3c4d5e` style, also used as `dm:deviceID` in PIDF-LO (RFC 5491 3.4).
    public var description: String { "\(kind == .userAgent ? "ua" : kind.rawValue):\(value)" }
}
