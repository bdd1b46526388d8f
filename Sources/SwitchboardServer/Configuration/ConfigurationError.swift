/// One problem in a configuration file, located as precisely as is known.
///
/// Printed the way compilers print errors, so editors and `grep` find the line:
/// `conf/switchboard.toml:12: sip.listen[1]: unknown transport "sctp" (expected udp, tcp or tls)`.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// The file could not be read.
        case unreadable(String)
        /// The file is not valid TOML (message from the TOML parser).
        case syntax(String)
        /// A key that no setting has; `suggestion` is a known key spelled alike.
        case unknownKey(suggestion: String?)
        /// A table that no settings section has, e.g. a misspelt `[sips]`.
        case unknownTable(suggestion: String?)
        /// A value of the wrong TOML type.
        case wrongType(expected: String, found: String)
        /// A number outside the accepted range.
        case outOfRange(value: Int, range: ClosedRange<Int>)
        /// A value that must be one of a few words, e.g. a log level or transport.
        case notOneOf(what: String, value: String, expected: [String])
        /// An address, name or path that is malformed or unusable.
        case invalid(String)
        /// A value that repeats another one that must be unique.
        case duplicate(String, of: String)

        public var description: String {
            switch self {
            case .unreadable(let reason):
                return "cannot read file: \(reason)"
            case .syntax(let reason):
                return "syntax error: \(reason)"
            case .unknownKey(let suggestion):
                if let suggestion { return "unknown key (did you mean \"\(suggestion)\"?)" }
                return "unknown key"
            case .unknownTable(let suggestion):
                if let suggestion { return "unknown table (did you mean \"\(suggestion)\"?)" }
                return "unknown table"
            case .wrongType(let expected, let found):
                return "expected \(expected), found \(found)"
            case .outOfRange(let value, let range):
                return "\(value) is out of range \(range.lowerBound)...\(range.upperBound)"
            case .notOneOf(let what, let value, let expected):
                return "unknown \(what) \"\(value)\" (expected \(Self.alternatives(expected)))"
            case .invalid(let reason):
                return reason
            case .duplicate(let value, let first):
                return "duplicate \(value) (first at \(first))"
            }
        }

        /// `a, b or c`.
        static func alternatives(_ words: [String]) -> String {
            guard let last = words.last else { return "nothing" }
            if words.count == 1 { return last }
            return words.dropLast().joined(separator: ", ") + " or " + last
        }
    }

    /// The file as named by the operator (or `<embedded default>`, `command line`).
    public var file: String
    /// 1-based line, when known.
    public var line: Int?
    /// 1-based column, when known.
    public var column: Int?
    /// The key the problem is about; `nil` for file-level problems such as syntax errors.
    public var keyPath: ConfigurationKeyPath?
    public var problem: Problem

    public init(
        file: String,
        line: Int? = nil,
        column: Int? = nil,
        keyPath: ConfigurationKeyPath? = nil,
        problem: Problem
    ) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.problem = problem
    }

    /// `file:line: key: reason` for key problems, `file:line:column: reason` for syntax errors.
    public var description: String {
        var location = file
        if let line {
            location += ":\(line)"
            if keyPath == nil, let column { location += ":\(column)" }
        }
        if let keyPath, !keyPath.isRoot {
            return "\(location): \(keyPath): \(problem)"
        }
        return "\(location): \(problem)"
    }
}
