import SIPCore

extension EmergencyNumberPlan {
    /// Classifies what the caller dialled: a bare dial string (`9-911`,
    /// `1 (911)`), or a `tel:`/`sip:`/`sips:` URI whose user part is one, or
    /// `urn:service:sos` (RFC 5031).
    ///
    /// A `sip:` user part is examined with or without `user=phone`
    /// (RFC 3261 19.1.6), because handsets send `sip:911@pbx` without it.
    /// Matching is exact after prefixes are removed: `9112` is not `112`
    /// unless `9` is an access prefix, and `4911` never is `911`.
    public func classify(_ dialled: String) -> EmergencyClassification {
        let text = dialled.trimmingSpaces
        if let colon = text.firstIndex(of: ":") {
            let scheme = text[..<colon].lowercased()
            if ["sip", "sips", "tel", "urn"].contains(scheme), let uri = try? SIPURI(text) {
                return classify(uri)
            }
        }
        return classifyDialString(text)
    }

    /// Classifies a Request-URI or To URI.
    public func classify(_ uri: SIPURI) -> EmergencyClassification {
        switch uri.scheme {
        case .tel, .sip, .sips:
            guard var user = uri.user else { return .notEmergency }
            // A sip user part may carry telephone-subscriber parameters (`911;phone-context=+1`).
            if let semicolon = user.firstIndex(of: ";") { user = String(user[..<semicolon]) }
            return classifyDialString(user)
        case .other:
            let urn = uri.description.lowercased()
            if urn == "urn:service:sos" || urn.hasPrefix("urn:service:sos."), let primary = emergencyNumbers.first {
                return .emergency(number: primary)
            }
            return .notEmergency
        }
    }

    /// Classifies a call from the string as dialled and the string the dial
    /// plan normalized it to; the stronger answer wins, so neither a
    /// normalizer that adds `+1` nor one that strips prefixes can hide 911.
    public func classify(dialled: String, normalized: String?) -> EmergencyClassification {
        let before = classify(dialled)
        guard let normalized else { return before }
        let after = classify(normalized)
        return after.rank > before.rank ? after : before
    }

    /// A dial string without scheme: visual separators (RFC 3966 5.1.1) are
    /// dropped, then the number is tried bare, after one access prefix, after
    /// one trunk prefix, and after both.
    ///
    /// `+<country code><number>` (`+1911`, `+44999`) also matches: no E.164
    /// number is just a country code and a short code (NANP N11 codes are
    /// not assignable area codes), so nothing real is captured, while a
    /// normalizer that turns `911` or `1911` into `+1911` would otherwise
    /// send an emergency call to a carrier that rejects it.
    func classifyDialString(_ text: String) -> EmergencyClassification {
        var digits = ""
        for c in text.unicodeScalars {
            switch c {
            case "0"..."9", "+": digits.unicodeScalars.append(c)
            case "-", ".", " ", "(", ")", "\t": continue
            default: return .notEmergency
            }
        }
        if digits.hasPrefix("+") {
            let rest = digits.dropFirst()
            guard rest.hasPrefix(countryCallingCode), !rest.contains("+") else { return .notEmergency }
            return match(String(rest.dropFirst(countryCallingCode.count)))
        }
        guard !digits.isEmpty, !digits.contains("+") else { return .notEmergency }
        for candidate in candidates(digits) {
            let result = match(candidate)
            if result != .notEmergency { return result }
        }
        return .notEmergency
    }

    /// The number as dialled, then with the prefixes removed, most literal first.
    func candidates(_ digits: String) -> [String] {
        var out = [digits]
        for trunk in trunkPrefixes where digits.hasPrefix(trunk) {
            out.append(String(digits.dropFirst(trunk.count)))
        }
        for access in accessPrefixes where digits.hasPrefix(access) {
            let afterAccess = String(digits.dropFirst(access.count))
            out.append(afterAccess)
            for trunk in trunkPrefixes where afterAccess.hasPrefix(trunk) {
                out.append(String(afterAccess.dropFirst(trunk.count)))
            }
        }
        return out
    }

    func match(_ number: String) -> EmergencyClassification {
        if emergencyNumbers.contains(number) { return .emergency(number: number) }
        if testNumbers.contains(number) { return .test(number: number) }
        return .notEmergency
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
