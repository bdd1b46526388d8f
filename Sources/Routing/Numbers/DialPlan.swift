/// How one source (a PBX, a softphone group) dials: the country it sits in
/// and the prefixes its users type. Normalization turns what it sends into
/// E.164 with these values; nothing about a country is hard-coded.
public struct DialPlan: Sendable, Hashable {
    /// The E.164 country code of the source (`1`, `44`).
    public var countryCode: String
    /// The national (trunk) prefix dialled before a national number (`1` in NANP, `0` in the UK); may be empty.
    public var nationalPrefix: String
    /// International access prefixes (`011` in NANP, `00` in most of the world).
    public var internationalPrefixes: [String]
    /// Lengths of a national significant number, without the national prefix (NANP 10, UK 9...10).
    public var nationalNumberLengths: ClosedRange<Int>
    /// An outside-line access code the PBX may leave in front of every number (`9`); stripped when present.
    public var accessPrefix: String?
    /// Short service codes passed through unchanged (`911`, `933`).
    public var serviceCodes: Set<String>

    public init(
        countryCode: String,
        nationalPrefix: String,
        internationalPrefixes: [String],
        nationalNumberLengths: ClosedRange<Int>,
        accessPrefix: String? = nil,
        serviceCodes: Set<String> = []
    ) {
        self.countryCode = countryCode
        self.nationalPrefix = nationalPrefix
        self.internationalPrefixes = internationalPrefixes
        self.nationalNumberLengths = nationalNumberLengths
        self.accessPrefix = accessPrefix
        self.serviceCodes = serviceCodes
    }

    /// The North American Numbering Plan: `+1`, trunk prefix `1`, `011`, 10-digit numbers, 911 and 933.
    public static func northAmerica(accessPrefix: String? = nil) -> DialPlan {
        DialPlan(
            countryCode: "1", nationalPrefix: "1", internationalPrefixes: ["011"],
            nationalNumberLengths: 10...10, accessPrefix: accessPrefix, serviceCodes: ["911", "933"])
    }

    /// The United Kingdom: `+44`, trunk prefix `0`, `00`, 9- or 10-digit numbers, 999 and 112.
    public static func unitedKingdom(accessPrefix: String? = nil) -> DialPlan {
        DialPlan(
            countryCode: "44", nationalPrefix: "0", internationalPrefixes: ["00"],
            nationalNumberLengths: 9...10, accessPrefix: accessPrefix, serviceCodes: ["999", "112"])
    }
}
