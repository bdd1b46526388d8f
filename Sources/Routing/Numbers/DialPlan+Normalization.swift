import SIPCore

extension DialPlan {
    /// Normalizes a dialled string: visual separators (RFC 3966 `-` `.` `(` `)`
    /// and spaces) are dropped, then `+`, international prefixes, the national
    /// prefix, bare national numbers and service codes are tried in that order.
    /// The access prefix is stripped only when the string does not already
    /// read as a number without it (NANP area code 919 starts with 9).
    public func normalize(_ dialled: String) throws(NumberError) -> DialledNumber {
        let (plus, digits) = try Self.stripSeparators(dialled)
        if plus { return .e164(try international(digits, original: dialled)) }
        guard !digits.isEmpty else { throw .empty }
        do {
            return try interpret(digits, original: dialled)
        } catch {
            if let access = accessPrefix, !access.isEmpty, digits.hasPrefix(access) {
                let rest = String(digits.dropFirst(access.count))
                guard !rest.isEmpty else { throw .empty }
                return try interpret(rest, original: dialled)
            }
            throw error
        }
    }

    /// Normalizes the number a URI carries: a `tel:` URI (RFC 3966; a local
    /// number takes a global `phone-context` as its prefix), or the user part
    /// of a `sip:`/`sips:` URI with or without `user=phone` (RFC 3261 19.1.1;
    /// user-part parameters such as `;isub=` are ignored).
    public func normalize(uri: SIPURI) throws(NumberError) -> DialledNumber {
        guard uri.scheme != .other, let user = uri.user, !user.isEmpty else {
            throw .notATelephoneNumber(uri.description)
        }
        var number = Substring(user)
        var context: String?
        if uri.scheme == .tel {
            context = uri.parameters["phone-context"]
        } else if let semicolon = number.firstIndex(of: ";") {
            let parameters = number[number.index(after: semicolon)...]
            number = number[..<semicolon]
            for parameter in parameters.split(separator: ";") where parameter.lowercased().hasPrefix("phone-context=") {
                context = String(parameter.dropFirst("phone-context=".count))
            }
        }
        if !number.hasPrefix("+"), let context, context.hasPrefix("+") {
            // RFC 3966 5.1.5: a global number context is the prefix of the local number.
            let (_, contextDigits) = try Self.stripSeparators(String(context.dropFirst()))
            let (_, local) = try Self.stripSeparators(String(number))
            return .e164(try international(contextDigits + local, original: user))
        }
        if number.contains(where: { $0.isLetter }) { throw .notATelephoneNumber(user) }
        return try normalize(String(number))
    }

    /// One interpretation of digits with no `+` and no access prefix.
    private func interpret(_ digits: String, original: String) throws(NumberError) -> DialledNumber {
        if serviceCodes.contains(digits) { return .serviceCode(digits) }
        for prefix in internationalPrefixes.sorted(by: { $0.count > $1.count })
        where !prefix.isEmpty && digits.hasPrefix(prefix) {
            return .e164(try international(String(digits.dropFirst(prefix.count)), original: original))
        }
        if !nationalPrefix.isEmpty, digits.hasPrefix(nationalPrefix),
            nationalNumberLengths.contains(digits.count - nationalPrefix.count)
        {
            return .e164(try national(String(digits.dropFirst(nationalPrefix.count)), original: original))
        }
        if nationalNumberLengths.contains(digits.count) {
            return .e164(try national(digits, original: original))
        }
        throw .incomplete(original)
    }

    private func national(_ significant: String, original: String) throws(NumberError) -> E164Number {
        guard let number = E164Number(digits: countryCode + significant) else {
            throw significant.count + countryCode.count > E164Number.maximumDigits ? .tooLong(original) : .incomplete(original)
        }
        return number
    }

    /// Digits after `+` or an international prefix; a number in the plan's own
    /// country must have a national length the plan allows.
    private func international(_ digits: String, original: String) throws(NumberError) -> E164Number {
        guard !digits.isEmpty else { throw .empty }
        guard digits.count <= E164Number.maximumDigits else { throw .tooLong(original) }
        guard digits.count >= Self.minimumInternationalDigits else { throw .incomplete(original) }
        guard let number = E164Number(digits: digits) else { throw .incomplete(original) }
        if digits.hasPrefix(countryCode), !nationalNumberLengths.contains(digits.count - countryCode.count) {
            throw .incomplete(original)
        }
        return number
    }

    /// The shortest numbers in service abroad have 7 digits with the country
    /// code (Niue, `+683` and 4 digits); anything shorter is incomplete.
    static let minimumInternationalDigits = 7

    /// Drops visual separators; returns whether the number started with `+`.
    static func stripSeparators(_ text: String) throws(NumberError) -> (plus: Bool, digits: String) {
        var plus = false
        var digits = ""
        digits.reserveCapacity(text.utf8.count)
        var seenDigit = false
        for character in text {
            switch character {
            case "0"..."9":
                digits.append(character)
                seenDigit = true
            case "+" where !plus && !seenDigit:
                plus = true
            case "-", ".", "(", ")", " ", "/", "\t":
                continue
            default:
                throw .invalidCharacter(character)
            }
        }
        return (plus, digits)
    }
}
