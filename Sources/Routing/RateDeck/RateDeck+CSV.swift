extension RateDeck {
    /// Reads a rate deck from CSV text (RFC 4180 quoting, LF or CRLF, no
    /// line breaks inside fields). The first line is a header naming the
    /// columns, in any order, case-insensitive:
    ///
    /// - `prefix` (required): destination digits, E.164 without `+` (a leading `+` is dropped).
    /// - `rate` or `rate_per_minute` (required): price per minute, decimal, at most 6 fractional digits.
    /// - `increment` (`60/60`, `6/6`, `1/1`, `60/6`), or the split pair
    ///   `initial_increment` and `subsequent_increment` (seconds): one of the two forms is required.
    /// - `connection_fee` (optional, empty = 0): charged once per answered call.
    /// - `effective_date` (optional, empty = always): ISO 8601 `YYYY-MM-DD`, UTC.
    ///
    /// Other columns (descriptions, country names) are ignored. Empty lines
    /// and lines starting with `#` are skipped. The same prefix twice with the
    /// same effective date is an error.
    public init(carrier: String, csv text: String) throws(RateDeckError) {
        // "\r\n" is one Character in Swift: split on both line ends.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })[...]
        var lineNumber = 0
        var header: [Substring]?
        while header == nil, let line = lines.popFirst() {
            lineNumber += 1
            var l = line
            if lineNumber == 1, l.hasPrefix("\u{FEFF}") { l = l.dropFirst() }
            if Self.isBlankOrComment(l) { continue }
            header = try Self.fields(of: l, line: lineNumber)
        }
        guard let header else { throw RateDeckError(line: max(lineNumber, 1), reason: "no header row") }
        let columns = try Columns(header: header, line: lineNumber)

        var entries: [Entry] = []
        var seen: [String: Int] = [:]
        while let line = lines.popFirst() {
            lineNumber += 1
            if Self.isBlankOrComment(line) { continue }
            let fields = try Self.fields(of: line, line: lineNumber)
            guard fields.count == header.count else {
                throw RateDeckError(
                    line: lineNumber, reason: "\(fields.count) fields, the header has \(header.count)")
            }
            let entry = try columns.entry(fields, line: lineNumber)
            let key = entry.prefix + "@" + (entry.effective?.description ?? "")
            if let earlier = seen[key] {
                throw RateDeckError(
                    line: lineNumber, column: columns.prefix + 1, columnName: "prefix",
                    reason: "prefix \(entry.prefix) with this effective date already on line \(earlier)")
            }
            seen[key] = lineNumber
            entries.append(entry)
        }
        self.init(carrier: carrier, entries: entries)
    }

    /// Which field holds what.
    private struct Columns {
        var names: [String]
        var prefix: Int
        var rate: Int
        var increment: Int?
        var initial: Int?
        var subsequent: Int?
        var connectionFee: Int?
        var effective: Int?

        init(header: [Substring], line: Int) throws(RateDeckError) {
            names = header.map { String($0.trimmingSpaces).lowercased() }
            var index: [String: Int] = [:]
            for (i, name) in names.enumerated() where !name.isEmpty {
                if index[name] != nil {
                    throw RateDeckError(line: line, column: i + 1, columnName: name, reason: "column named twice")
                }
                index[name] = i
            }
            func find(_ candidates: String...) -> Int? { candidates.lazy.compactMap { index[$0] }.first }
            guard let p = find("prefix") else { throw RateDeckError(line: line, reason: "no 'prefix' column") }
            guard let r = find("rate", "rate_per_minute") else {
                throw RateDeckError(line: line, reason: "no 'rate' column")
            }
            prefix = p
            rate = r
            increment = find("increment", "billing_increment")
            initial = find("initial_increment")
            subsequent = find("subsequent_increment")
            connectionFee = find("connection_fee")
            effective = find("effective_date")
            if increment == nil && (initial == nil || subsequent == nil) {
                throw RateDeckError(
                    line: line,
                    reason: "no 'increment' column, nor both 'initial_increment' and 'subsequent_increment'")
            }
        }

        func entry(_ fields: [Substring], line: Int) throws(RateDeckError) -> Entry {
            func fail(_ column: Int, _ reason: String) -> RateDeckError {
                RateDeckError(line: line, column: column + 1, columnName: names[column], reason: reason)
            }
            func field(_ i: Int) -> Substring { fields[i].trimmingSpaces }

            var prefixText = field(prefix)
            if prefixText.hasPrefix("+") { prefixText = prefixText.dropFirst() }
            guard !prefixText.isEmpty, prefixText.count <= E164Number.maximumDigits,
                prefixText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            else { throw fail(prefix, "'\(field(prefix))' is not a prefix of 1 to 15 digits") }

            guard let perMinute = Money(decimal: field(rate)) else {
                throw fail(rate, "'\(field(rate))' is not a decimal amount (at most 6 decimals)")
            }

            let billing: BillingIncrement
            if let increment {
                guard let b = BillingIncrement(field(increment)) else {
                    throw fail(increment, "'\(field(increment))' is not an increment such as 60/60 or 1/1")
                }
                billing = b
            } else {
                let i = initial!
                let s = subsequent!
                guard let iv = Int(field(i)), iv >= 1 else { throw fail(i, "'\(field(i))' is not a number of seconds") }
                guard let sv = Int(field(s)), sv >= 1 else { throw fail(s, "'\(field(s))' is not a number of seconds") }
                billing = BillingIncrement(initial: iv, subsequent: sv)!
            }

            var fee = Money.zero
            if let connectionFee, !field(connectionFee).isEmpty {
                guard let f = Money(decimal: field(connectionFee)) else {
                    throw fail(connectionFee, "'\(field(connectionFee))' is not a decimal amount (at most 6 decimals)")
                }
                fee = f
            }

            var date: CalendarDate?
            if let effective, !field(effective).isEmpty {
                guard let d = CalendarDate(iso8601: field(effective)) else {
                    throw fail(effective, "'\(field(effective))' is not an ISO 8601 date (YYYY-MM-DD)")
                }
                date = d
            }
            return Entry(
                prefix: String(prefixText), rate: Rate(perMinute: perMinute, increment: billing, connectionFee: fee),
                effective: date)
        }
    }

    private static func isBlankOrComment(_ line: Substring) -> Bool {
        var t = line
        if t.hasSuffix("\r") { t = t.dropLast() }
        t = t.trimmingSpaces
        return t.isEmpty || t.hasPrefix("#")
    }

    /// Splits one line into fields, RFC 4180 quoting (`""` inside quotes is a quote).
    static func fields(of rawLine: Substring, line: Int) throws(RateDeckError) -> [Substring] {
        var text = rawLine
        if text.hasSuffix("\r") { text = text.dropLast() }
        guard text.contains("\"") else { return text.split(separator: ",", omittingEmptySubsequences: false) }
        var fields: [Substring] = []
        var current = ""
        var i = text.startIndex
        var quoted = false
        var wasQuoted = false
        while i < text.endIndex {
            let c = text[i]
            if quoted {
                if c == "\"" {
                    let next = text.index(after: i)
                    if next < text.endIndex, text[next] == "\"" {
                        current.append("\"")
                        i = next
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                guard Substring(current).trimmingSpaces.isEmpty, !wasQuoted else {
                    throw RateDeckError(line: line, column: fields.count + 1, reason: "quote inside an unquoted field")
                }
                current = ""
                quoted = true
                wasQuoted = true
            } else if c == "," {
                fields.append(Substring(current))
                current = ""
                wasQuoted = false
            } else {
                current.append(c)
            }
            i = text.index(after: i)
        }
        if quoted { throw RateDeckError(line: line, column: fields.count + 1, reason: "unterminated quote") }
        fields.append(Substring(current))
        return fields
    }
}
