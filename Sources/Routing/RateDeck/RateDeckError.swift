/// A rate deck line that could not be read; names the line (1-based, header
/// is line 1) and column (1-based) so an operator can find it.
public struct RateDeckError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    /// Nil when the problem is the whole line (wrong field count, duplicate row).
    public var column: Int?
    /// The header name of the column.
    public var columnName: String?
    public var reason: String

    public init(line: Int, column: Int? = nil, columnName: String? = nil, reason: String) {
        self.line = line
        self.column = column
        self.columnName = columnName
        self.reason = reason
    }

    public var description: String {
        var s = "line \(line)"
        if let column { s += ", column \(column)" }
        if let columnName { s += " (\(columnName))" }
        return s + ": " + reason
    }
}
