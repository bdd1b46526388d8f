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
    /// Other columns (descriptions, country names) are ignored. A byte order
    /// mark before the header, empty lines, lines of spaces and lines
    /// starting with `#` are skipped; spaces and tabs around a field are not
    /// part of it. The same prefix twice with the same effective date is an
    /// error. The first problem in the file is thrown, naming its line and column.
    public init(carrier: String, csv text: String) throws(RateDeckError) {
        var text = text
        let result = text.withUTF8 { bytes in
            Result { () throws(RateDeckError) in try RateDeck(carrier: carrier, csv: UnsafeRawBufferPointer(bytes)) }
        }
        self = try result.get()
    }

    /// The same from a deck file's bytes, UTF-8 (ASCII in practice); read
    /// without building strings, so that a million-row deck takes a fraction of a second.
    public init(carrier: String, csv bytes: UnsafeRawBufferPointer) throws(RateDeckError) {
        var reader = RateDeckReader(bytes: bytes.assumingMemoryBound(to: UInt8.self))
        self = try reader.read(carrier: carrier)
    }
}
