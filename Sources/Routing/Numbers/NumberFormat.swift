/// How a carrier wants numbers in its Request-URI, To, From and P-Asserted-Identity.
public enum NumberFormat: Sendable, Hashable {
    /// `+14155550123` (Twilio, Bandwidth).
    case plusE164
    /// `14155550123` (Vonage's examples).
    case e164
    /// The carrier's national form; numbers of other countries go out as `+E.164`
    /// or, if set, behind an international prefix.
    case national(NationalFormat)

    /// A carrier's national number form.
    public struct NationalFormat: Sendable, Hashable {
        /// The country whose numbers are written nationally.
        public var countryCode: String
        /// Written in front of the national significant number (`1` for 11-digit NANP, empty for 10-digit).
        public var trunkPrefix: String
        /// For numbers of other countries (`011`); nil writes them as `+E.164`.
        public var internationalPrefix: String?

        public init(countryCode: String, trunkPrefix: String = "", internationalPrefix: String? = nil) {
            self.countryCode = countryCode
            self.trunkPrefix = trunkPrefix
            self.internationalPrefix = internationalPrefix
        }
    }
}

extension E164Number {
    /// The number written the way `format` says.
    public func formatted(_ format: NumberFormat) -> String {
        switch format {
        case .plusE164:
            return "+" + digits
        case .e164:
            return digits
        case .national(let national):
            if digits.hasPrefix(national.countryCode) {
                return national.trunkPrefix + digits.dropFirst(national.countryCode.count)
            }
            if let prefix = national.internationalPrefix { return prefix + digits }
            return "+" + digits
        }
    }
}
