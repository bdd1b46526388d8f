/// Reads a rate deck's CSV bytes in one pass: each line is scanned once for
/// its end and its commas, fields are views into the bytes (or, for a line
/// with quotes, into one reused buffer), numbers are read straight from the
/// bytes and no string is built unless an error needs one.
struct RateDeckReader {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next line starts; past `bytes.count` once the last line (possibly empty) was read.
    private var position: Int
    private var lineNumber = 0
    /// The fields of the current line.
    private var fields: [UnsafeBufferPointer<UInt8>] = []
    /// Unquoted field contents of the current line when it has quotes.
    private var unquoted: UnsafeMutableBufferPointer<UInt8> = .init(start: nil, count: 0)

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        // A UTF-8 byte order mark is not part of the header.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        position = bytes.starts(with: bom) ? 3 : 0
        fields.reserveCapacity(16)
    }

    mutating func read(carrier: String) throws(RateDeckError) -> RateDeck {
        defer { unquoted.deallocate() }
        var header: [String]?
        while header == nil, try nextLine() {
            header = fields.map { String(decoding: $0, as: UTF8.self) }
        }
        guard let header else { throw RateDeckError(line: max(lineNumber, 1), reason: "no header row") }
        let columns = try RateDeckColumns(header: header, line: lineNumber)

        var rates = DistinctRates(expectedCount: 1024)
        var rows: [RateDeck.Row] = []
        var lines: [Int32] = []
        // A row takes at least 16 bytes in practice (prefix, rate, increment,
        // line end); capacity never written to takes no memory.
        rows.reserveCapacity(bytes.count / 16)
        lines.reserveCapacity(bytes.count / 16)
        while true {
            let row: RateDeck.Row
            do throws(RateDeckError) {
                guard try nextLine() else { break }
                guard fields.count == header.count else {
                    throw RateDeckError(
                        line: lineNumber, reason: "\(fields.count) fields, the header has \(header.count)")
                }
                row = try columns.row(fields, line: lineNumber, rates: &rates)
            } catch {
                // A duplicate above the bad line comes first, as the file is read top down.
                throw Self.firstDuplicate(rows: rows, order: RateDeck.prefixOrder(rows), lines: lines, columns: columns)
                    ?? error
            }
            rows.append(row)
            lines.append(Int32(truncatingIfNeeded: lineNumber))
        }
        let order = RateDeck.prefixOrder(rows)
        if let duplicate = Self.firstDuplicate(rows: rows, order: order, lines: lines, columns: columns) { throw duplicate }
        return RateDeck(carrier: carrier, rates: rates.values, rows: rows, order: order)
    }

    /// Moves to the next line that is neither blank nor a comment and splits
    /// it into `fields`; false at the end of the bytes.
    private mutating func nextLine() throws(RateDeckError) -> Bool {
        let count = bytes.count
        guard let base = bytes.baseAddress else {
            // No bytes at all: one empty line.
            if position == 0 { lineNumber += 1 }
            position = 1
            return false
        }
        while position <= count {
            lineNumber += 1
            fields.removeAll(keepingCapacity: true)
            let start = position
            var fieldStart = start
            var i = start
            var quotes = false
            while i < count {
                let byte = base[i]
                if byte == UInt8(ascii: "\n") { break }
                if byte == UInt8(ascii: ",") {
                    fields.append(UnsafeBufferPointer(start: base + fieldStart, count: i &- fieldStart))
                    fieldStart = i &+ 1
                } else if byte == UInt8(ascii: "\"") {
                    quotes = true
                }
                i &+= 1
            }
            position = i &+ 1
            // CRLF: the CR belongs to the line end, and so does one more CR
            // before it (a CRLF file converted to CRLF again), or one CR at
            // the end of the bytes: the line ends Swift's text splitting saw.
            var end = i
            var crs = i < count ? 2 : 1
            while crs > 0, end > start, base[end &- 1] == UInt8(ascii: "\r") {
                end &-= 1
                crs &-= 1
            }
            if Self.isBlankOrComment(base + start, end &- start) { continue }
            if quotes {
                try splitQuoted(UnsafeBufferPointer(start: base + start, count: end &- start))
            } else {
                fields.append(UnsafeBufferPointer(start: base + fieldStart, count: max(0, end &- fieldStart)))
            }
            return true
        }
        return false
    }

    /// Empty, spaces and tabs only, or `#` after them.
    @inline(__always)
    private static func isBlankOrComment(_ start: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i < count, start[i] == UInt8(ascii: " ") || start[i] == UInt8(ascii: "\t") { i &+= 1 }
        return i == count || start[i] == UInt8(ascii: "#")
    }

    /// Splits a line with quotes into `fields` (RFC 4180: a field may be
    /// quoted, `""` inside quotes is one quote, spaces before the opening
    /// quote are dropped and text after the closing one is kept).
    private mutating func splitQuoted(_ line: UnsafeBufferPointer<UInt8>) throws(RateDeckError) {
        fields.removeAll(keepingCapacity: true)
        if unquoted.count < line.count {
            unquoted.deallocate()
            unquoted = .allocate(capacity: max(line.count, 256))
        }
        let out = unquoted
        var written = 0
        var fieldStart = 0
        var quoted = false
        var wasQuoted = false
        var i = 0
        while i < line.count {
            let byte = line[i]
            if quoted {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < line.count, line[i + 1] == UInt8(ascii: "\"") {
                        out[written] = byte
                        written += 1
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    out[written] = byte
                    written += 1
                }
            } else if byte == UInt8(ascii: "\"") {
                let before = UnsafeBufferPointer(rebasing: out[fieldStart..<written])
                guard RateDeckColumns.trimmingSpaces(before).isEmpty, !wasQuoted else {
                    throw RateDeckError(line: lineNumber, column: fields.count + 1, reason: "quote inside an unquoted field")
                }
                written = fieldStart
                quoted = true
                wasQuoted = true
            } else if byte == UInt8(ascii: ",") {
                fields.append(UnsafeBufferPointer(rebasing: out[fieldStart..<written]))
                fieldStart = written
                wasQuoted = false
            } else {
                out[written] = byte
                written += 1
            }
            i += 1
        }
        if quoted { throw RateDeckError(line: lineNumber, column: fields.count + 1, reason: "unterminated quote") }
        fields.append(UnsafeBufferPointer(rebasing: out[fieldStart..<written]))
    }

    /// The first row, in file order, whose prefix and effective day an
    /// earlier row already has; `order` sorts equal rows next to each other, in file order.
    static func firstDuplicate(
        rows: [RateDeck.Row], order: [UInt32], lines: [Int32], columns: RateDeckColumns
    ) -> RateDeckError? {
        var first: (later: Int, earlier: Int)?
        var k = 1
        while k < order.count {
            let a = Int(order[k - 1])
            let b = Int(order[k])
            if rows[a].prefix == rows[b].prefix, rows[a].day == rows[b].day, b < first?.later ?? Int.max {
                first = (b, a)
            }
            k += 1
        }
        guard let first else { return nil }
        return RateDeckError(
            line: Int(lines[first.later]), column: columns.prefix + 1, columnName: "prefix",
            reason: "prefix \(rows[first.later].prefix.digits) with this effective date already on line \(lines[first.earlier])")
    }
}
