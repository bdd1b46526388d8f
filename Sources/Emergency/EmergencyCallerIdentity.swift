import Routing
import SIPCore

/// The identity headers of an INVITE to Bandwidth's 911 service: the
/// Request-URI, the From and exactly one P-Asserted-Identity (RFC 3325 9.1).
public struct EmergencyCallerIdentity: Sendable, Hashable {
    /// `sip:911@<sbc>` or `sip:933@<sbc>`.
    public var requestURI: SIPURI
    /// From header value, without a tag (the call core adds it).
    public var from: String
    /// The single P-Asserted-Identity header value.
    public var pAssertedIdentity: String
    /// The callback number the PSAP sees.
    public var callbackNumber: E164Number
    /// True when the callback number is the trunk's fallback, not the caller's.
    public var usedFallbackCallbackNumber: Bool

    /// How the callback number is written as the URI user part.
    public enum NumberForm: String, Sendable, Hashable, Codable {
        /// `+1NXXNXXXXXX`, the default.
        case e164
        /// `NXXNXXXXXX`, for accounts provisioned with ten-digit numbers.
        case national
    }

    /// Builds the identity for one call.
    ///
    /// The callback number is the resolved one if it is a NANP number,
    /// otherwise the trunk's fallback (the site's main number), so the
    /// INVITE always carries exactly one valid P-Asserted-Identity. When the
    /// location has a Dynamic Location Routing endpoint id, that id is the
    /// From user so Bandwidth finds the address provisioned under it; the
    /// PAI still carries the callback number.
    public init(
        serviceNumber: String, sbc: EmergencySBC, resolution: LocationResolution, caller: EmergencyCaller,
        identityHost: String, fallbackCallbackNumber: E164Number, numberForm: NumberForm = .e164
    ) {
        let callback: E164Number
        if let n = resolution.callbackNumber, n.isNANP {
            callback = n
            usedFallbackCallbackNumber = false
        } else {
            callback = fallbackCallbackNumber
            usedFallbackCallbackNumber = true
        }
        callbackNumber = callback
        requestURI = sbc.requestURI(serviceNumber: serviceNumber)
        let numberUser = numberForm == .national ? (callback.nationalNANP ?? callback.digits) : callback.description
        pAssertedIdentity = "<sip:\(numberUser)@\(identityHost)>"
        let fromUser = resolution.location?.dynamicLocationEndpointID.map(Self.escapeUser) ?? numberUser
        let name = caller.displayName.map { "\"\(Self.escapeQuoted($0))\" " } ?? ""
        from = "\(name)<sip:\(fromUser)@\(identityHost)>"
    }

    /// %-escapes what may not appear in a SIP user part (RFC 3261 25.1 `user`).
    static func escapeUser(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-_.!~*'()&=+$,/".contains(c)) {
                out.append(c)
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    /// Escapes `"` and `\` for a quoted-string display name (RFC 3261 25.1).
    static func escapeQuoted(_ s: String) -> String {
        var out = ""
        for c in s where c != "\r" && c != "\n" {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
