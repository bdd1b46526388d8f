/// The emergency and test numbers of one country or site, and the prefixes
/// a PBX user may put in front of them.
///
/// A bare emergency number always matches, with no access prefix (Kari's
/// Law: 911 is dialable directly); the prefixes only widen what matches.
/// The United States plan always contains 911, whatever the configuration
/// lists, so a configuration edit cannot disable direct 911 dialling.
public struct EmergencyNumberPlan: Sendable, Hashable, Codable {
    /// ISO 3166-1 alpha-2 country code, upper case (`US`, `GB`, `DE`).
    public var country: String
    /// ITU-T E.164 country calling code without `+` (`1`, `44`, `49`).
    public var countryCallingCode: String
    /// Numbers that reach a PSAP (`911`, `112`, `999`, `000`, `110`); the
    /// first is the one an `urn:service:sos` request is sent as.
    public var emergencyNumbers: [String]
    /// Numbers that reach a test service that reads back the registered
    /// location instead of a PSAP (Bandwidth's `933`).
    public var testNumbers: Set<String>
    /// PBX outside-line prefixes (`9`, `8`), tried once before the number.
    public var accessPrefixes: [String]
    /// National long-distance / trunk prefixes (`1` in NANP, `0` elsewhere),
    /// tried once after an access prefix.
    public var trunkPrefixes: [String]

    public init(
        country: String,
        countryCallingCode: String,
        emergencyNumbers: [String],
        testNumbers: Set<String> = [],
        accessPrefixes: [String] = [],
        trunkPrefixes: [String] = []
    ) {
        self.country = country.uppercased()
        self.countryCallingCode = countryCallingCode
        var numbers: [String] = self.country == "US" ? ["911"] : []
        for n in emergencyNumbers where !n.isEmpty && !numbers.contains(n) { numbers.append(n) }
        self.emergencyNumbers = numbers
        self.testNumbers = testNumbers.subtracting(numbers)
        self.accessPrefixes = accessPrefixes.filter { !$0.isEmpty }
        self.trunkPrefixes = trunkPrefixes.filter { !$0.isEmpty }
    }

    /// United States: 911, test 933 (Bandwidth), access prefixes 9 and 8, long-distance 1.
    public static let unitedStates = EmergencyNumberPlan(
        country: "US", countryCallingCode: "1", emergencyNumbers: ["911"], testNumbers: ["933"],
        accessPrefixes: ["9", "8"], trunkPrefixes: ["1"])

    /// Canada: 911, same NANP prefixes; no carrier test number assumed.
    public static let canada = EmergencyNumberPlan(
        country: "CA", countryCallingCode: "1", emergencyNumbers: ["911"],
        accessPrefixes: ["9", "8"], trunkPrefixes: ["1"])

    /// United Kingdom: 999 and 112, access prefix 9.
    public static let unitedKingdom = EmergencyNumberPlan(
        country: "GB", countryCallingCode: "44", emergencyNumbers: ["999", "112"], accessPrefixes: ["9"])

    /// Germany: 112 and 110, access prefix 0 (the common German PBX outside line).
    public static let germany = EmergencyNumberPlan(
        country: "DE", countryCallingCode: "49", emergencyNumbers: ["112", "110"], accessPrefixes: ["0"])

    /// Australia: 000 and 112, access prefix 0.
    public static let australia = EmergencyNumberPlan(
        country: "AU", countryCallingCode: "61", emergencyNumbers: ["000", "112"], accessPrefixes: ["0"])
}
