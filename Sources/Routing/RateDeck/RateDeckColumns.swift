/// Which field of a rate deck row holds what, from the header row; turns a
/// row's fields into a stored row or the error that names the column.
struct RateDeckColumns {
    var names: [String]
    var prefix: Int
    var rate: Int
    var increment: Int?
    var initial: Int?
    var subsequent: Int?
    var connectionFee: Int?
    var effective: Int?

    init(header: [String], line: Int) throws(RateDeckError) {
        names = header.map { String(Substring($0).trimmingSpaces).lowercased() }
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

    /// The row `fields` (as many as the header has) describe; its rate goes into `rates`.
    @inline(__always)
    func row(
        _ fields: [UnsafeBufferPointer<UInt8>], line: Int, rates: inout DistinctRates
    ) throws(RateDeckError) -> RateDeck.Row {
        func fail(_ column: Int, _ reason: String) -> RateDeckError {
            RateDeckError(line: line, column: column + 1, columnName: names[column], reason: reason)
        }
        func field(_ i: Int) -> UnsafeBufferPointer<UInt8> { Self.trimmingSpaces(fields[i]) }
        func text(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

        var digits = field(prefix)
        if digits.first == UInt8(ascii: "+") { digits = UnsafeBufferPointer(rebasing: digits.dropFirst()) }
        guard let destination = DestinationPrefix(ascii: digits) else {
            throw fail(prefix, "'\(text(prefix))' is not a prefix of 1 to 15 digits")
        }

        guard let perMinute = Money(decimal: field(rate)) else {
            throw fail(rate, "'\(text(rate))' is not a decimal amount (at most 6 decimals)")
        }

        let billing: BillingIncrement
        if let increment {
            guard let b = BillingIncrement(ascii: field(increment)) else {
                throw fail(increment, "'\(text(increment))' is not an increment such as 60/60 or 1/1")
            }
            billing = b
        } else {
            let i = initial!
            let s = subsequent!
            guard let iv = BillingIncrement.integer(field(i)), iv >= 1 else {
                throw fail(i, "'\(text(i))' is not a number of seconds")
            }
            guard let sv = BillingIncrement.integer(field(s)), sv >= 1 else {
                throw fail(s, "'\(text(s))' is not a number of seconds")
            }
            billing = BillingIncrement(initial: iv, subsequent: sv)!
        }

        var fee = Money.zero
        if let connectionFee, !field(connectionFee).isEmpty {
            guard let f = Money(decimal: field(connectionFee)) else {
                throw fail(connectionFee, "'\(text(connectionFee))' is not a decimal amount (at most 6 decimals)")
            }
            fee = f
        }

        var day = RateDeck.always
        if let effective, !field(effective).isEmpty {
            guard let date = CalendarDate(iso8601: field(effective)) else {
                throw fail(effective, "'\(text(effective))' is not an ISO 8601 date (YYYY-MM-DD)")
            }
            day = Int32(truncatingIfNeeded: date.daysSinceEpoch)
        }
        let index = rates.index(of: Rate(perMinute: perMinute, increment: billing, connectionFee: fee))
        return RateDeck.Row(prefix: destination, day: day, rate: index)
    }

    /// `field` without the spaces and tabs around it.
    @inline(__always)
    static func trimmingSpaces(_ field: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0
        var end = field.count
        while start < end, field[start] == UInt8(ascii: " ") || field[start] == UInt8(ascii: "\t") { start &+= 1 }
        while end > start, field[end &- 1] == UInt8(ascii: " ") || field[end &- 1] == UInt8(ascii: "\t") { end &-= 1 }
        if start == 0 && end == field.count { return field }
        return UnsafeBufferPointer(rebasing: field[start..<end])
    }
}
