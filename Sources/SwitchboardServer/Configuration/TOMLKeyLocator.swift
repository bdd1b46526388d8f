/// Finds where each key and array element of a TOML document is written.
///
/// The TOML parser reports positions only for syntax errors, so this scans the
/// text of a document the parser has already accepted and records the line and
/// column of every table header, key and array element by its full path. It
/// understands `[table]` and `[[array.of.tables]]` headers, dotted and quoted
/// keys, arrays spanning lines, inline tables, all four string forms and comments.
struct TOMLKeyLocator: Sendable {
    struct Position: Hashable, Sendable {
        var line: Int
        var column: Int
    }

    private(set) var positions: [ConfigurationKeyPath: Position] = [:]

    init(text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        scanner.scanDocument()
        positions = scanner.positions
    }

    /// The position of `path`, or of its nearest written ancestor (a key in an
    /// implicitly created table is reported at the table's header).
    func position(of path: ConfigurationKeyPath) -> Position? {
        var path = path
        while true {
            if let position = positions[path] { return position }
            if path.isRoot { return nil }
            path = path.parent
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var offset = 0
        var line = 1
        var lineStart = 0
        var positions: [ConfigurationKeyPath: Position] = [:]
        /// How many `[[path]]` headers have been seen per array-of-tables path.
        var arrayTableCounts: [ConfigurationKeyPath: Int] = [:]

        init(bytes: [UInt8]) {
            self.bytes = bytes
        }

        var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

        func peek(_ distance: Int) -> UInt8? {
            offset + distance < bytes.count ? bytes[offset + distance] : nil
        }

        var position: Position { Position(line: line, column: offset - lineStart + 1) }

        mutating func advance() {
            guard let byte = current else { return }
            offset += 1
            if byte == UInt8(ascii: "\n") {
                line += 1
                lineStart = offset
            }
        }

        mutating func record(_ path: ConfigurationKeyPath, at position: Position) {
            if positions[path] == nil { positions[path] = position }
        }

        /// Skips spaces and tabs, and with `newlines` also line breaks and comments.
        mutating func skipWhitespace(newlines: Bool) {
            while let byte = current {
                switch byte {
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                    advance()
                case UInt8(ascii: "\n") where newlines:
                    advance()
                case UInt8(ascii: "#") where newlines:
                    skipToEndOfLine()
                default:
                    return
                }
            }
        }

        mutating func skipToEndOfLine() {
            while let byte = current, byte != UInt8(ascii: "\n") { advance() }
        }

        mutating func scanDocument() {
            var table = ConfigurationKeyPath.root
            while true {
                skipWhitespace(newlines: true)
                guard let byte = current else { return }
                let start = position
                if byte == UInt8(ascii: "[") {
                    let isArray = peek(1) == UInt8(ascii: "[")
                    advance()
                    if isArray { advance() }
                    skipWhitespace(newlines: false)
                    let keyPosition = position
                    let keys = scanKey()
                    let path = ConfigurationKeyPath(keys: keys)
                    for count in 1..<keys.count {
                        record(ConfigurationKeyPath(keys: Array(keys.prefix(count))), at: keyPosition)
                    }
                    if isArray {
                        let index = arrayTableCounts[path, default: 0]
                        arrayTableCounts[path] = index + 1
                        record(path, at: keyPosition)
                        table = path.appending(index: index)
                    } else {
                        table = path
                    }
                    record(table, at: start)
                    skipToEndOfLine()
                } else {
                    scanKeyValue(in: table)
                    skipWhitespace(newlines: false)
                    if current == UInt8(ascii: "#") { skipToEndOfLine() }
                }
            }
        }

        /// `key = value`, recording the key and everything inside the value.
        mutating func scanKeyValue(in table: ConfigurationKeyPath) {
            let start = position
            let keys = scanKey()
            var path = table
            for key in keys {
                path = path.appending(key)
                record(path, at: start)
            }
            skipWhitespace(newlines: false)
            if current == UInt8(ascii: "=") { advance() }
            skipWhitespace(newlines: false)
            scanValue(at: path)
        }

        /// A dotted key: bare, "quoted" or 'literal' parts joined by dots.
        mutating func scanKey() -> [String] {
            var keys: [String] = []
            while true {
                skipWhitespace(newlines: false)
                switch current {
                case UInt8(ascii: "\""):
                    keys.append(scanBasicString())
                case UInt8(ascii: "'"):
                    keys.append(scanLiteralString())
                default:
                    let begin = offset
                    while let byte = current, ConfigurationKeyPath.isBareKeyByte(byte) {
                        advance()
                    }
                    keys.append(String(decoding: bytes[begin..<offset], as: UTF8.self))
                }
                skipWhitespace(newlines: false)
                guard current == UInt8(ascii: ".") else { return keys }
                advance()
            }
        }

        mutating func scanValue(at path: ConfigurationKeyPath) {
            switch current {
            case UInt8(ascii: "\""):
                _ = scanBasicString()
            case UInt8(ascii: "'"):
                _ = scanLiteralString()
            case UInt8(ascii: "["):
                advance()
                var index = 0
                while true {
                    skipWhitespace(newlines: true)
                    guard let byte = current else { return }
                    if byte == UInt8(ascii: "]") {
                        advance()
                        return
                    }
                    if byte == UInt8(ascii: ",") {
                        advance()
                        index += 1
                        continue
                    }
                    let element = path.appending(index: index)
                    record(element, at: position)
                    scanValue(at: element)
                }
            case UInt8(ascii: "{"):
                advance()
                while true {
                    skipWhitespace(newlines: true)
                    guard let byte = current else { return }
                    if byte == UInt8(ascii: "}") {
                        advance()
                        return
                    }
                    if byte == UInt8(ascii: ",") {
                        advance()
                        continue
                    }
                    scanKeyValue(in: path)
                }
            default:
                // Numbers, booleans, dates: up to a delimiter (dates may hold a space).
                while let byte = current,
                    byte != UInt8(ascii: ","), byte != UInt8(ascii: "]"), byte != UInt8(ascii: "}"),
                    byte != UInt8(ascii: "\n"), byte != UInt8(ascii: "#")
                {
                    advance()
                }
            }
        }

        /// `"..."` or `"""..."""`, returning the text with simple escapes resolved
        /// (enough to name quoted keys).
        mutating func scanBasicString() -> String {
            let multiline = peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
            let quoteCount = multiline ? 3 : 1
            for _ in 0..<quoteCount { advance() }
            var text: [UInt8] = []
            while let byte = current {
                if byte == UInt8(ascii: "\\") {
                    advance()
                    if let escaped = current {
                        text.append(escaped)
                        advance()
                    }
                    continue
                }
                if byte == UInt8(ascii: "\"") && (!multiline || closesMultiline(UInt8(ascii: "\""))) {
                    consumeClosingQuotes(UInt8(ascii: "\""), multiline: multiline)
                    break
                }
                text.append(byte)
                advance()
            }
            return String(decoding: text, as: UTF8.self)
        }

        /// `'...'` or `'''...'''`, verbatim.
        mutating func scanLiteralString() -> String {
            let multiline = peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'")
            let quoteCount = multiline ? 3 : 1
            for _ in 0..<quoteCount { advance() }
            var text: [UInt8] = []
            while let byte = current {
                if byte == UInt8(ascii: "'") && (!multiline || closesMultiline(UInt8(ascii: "'"))) {
                    consumeClosingQuotes(UInt8(ascii: "'"), multiline: multiline)
                    break
                }
                text.append(byte)
                advance()
            }
            return String(decoding: text, as: UTF8.self)
        }

        func closesMultiline(_ quote: UInt8) -> Bool {
            peek(1) == quote && peek(2) == quote
        }

        /// A multi-line string may end in up to five quotes; the last three close it.
        mutating func consumeClosingQuotes(_ quote: UInt8, multiline: Bool) {
            guard multiline else {
                advance()
                return
            }
            var run = 0
            while current == quote && run < 5 {
                advance()
                run += 1
            }
        }
    }
}
