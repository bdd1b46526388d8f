import Routing

/// Telephone numbers as an operator lists them (`[[did]] number`,
/// `owned_numbers`): one E.164 number, a range of numbers of the same length
/// (`+14155550100-+14155550199`) or every number under a prefix (`+1415555*`).
public struct NumberRange: Hashable, Sendable, CustomStringConvertible {
    public var first: E164Number
    public var last: E164Number
    /// True for `PREFIX*`: `first` is the prefix and any length matches.
    public var isPrefix: Bool

    public init(first: E164Number, last: E164Number, isPrefix: Bool = false) {
        self.first = first
        self.last = last
        self.isPrefix = isPrefix
    }

    /// One number.
    public init(_ number: E164Number) {
        self.init(first: number, last: number)
    }

    /// Parses `NUMBER`, `FIRST-LAST` or `PREFIX*` (a leading `+` is optional); why not otherwise.
    public static func parse(_ text: String) -> Result<NumberRange, NumberRangeError> {
        let trimmed = text.replacingOccurrences(of: " ", with: "")
        if trimmed.hasSuffix("*") {
            guard let prefix = E164Number(String(trimmed.dropLast())) else { return .failure(.init(text: text)) }
            return .success(NumberRange(first: prefix, last: prefix, isPrefix: true))
        }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        switch parts.count {
        case 1:
            guard let number = E164Number(trimmed) else { return .failure(.init(text: text)) }
            return .success(NumberRange(number))
        case 2:
            guard let first = E164Number(String(parts[0])), let last = E164Number(String(parts[1])) else {
                return .failure(.init(text: text))
            }
            guard first.digits.count == last.digits.count, first <= last else {
                return .failure(.init(text: text, reason: "a range's ends have as many digits and the first is not above the last"))
            }
            return .success(NumberRange(first: first, last: last))
        default:
            return .failure(.init(text: text))
        }
    }

    public func contains(_ number: E164Number) -> Bool {
        if isPrefix { return number.hasPrefix(first.digits) }
        return first <= number && number <= last
    }

    /// Orders overlapping entries, most specific first: single numbers, then
    /// narrower ranges, then longer prefixes.
    var specificity: (Int, Int) {
        if isPrefix { return (1, -first.digits.count) }
        return (0, (Int(last.digits) ?? 0) - (Int(first.digits) ?? 0))
    }

    public var description: String {
        if isPrefix { return "\(first)*" }
        return first == last ? first.description : "\(first)-\(last)"
    }

    /// Reads a list of ranges at `key`, reporting each entry that does not parse.
    static func list(_ section: inout ConfigurationSection, _ key: String) -> [NumberRange] {
        var ranges: [NumberRange] = []
        for (entry, path) in section.strings(key, default: []) {
            switch parse(entry) {
            case .success(let range): ranges.append(range)
            case .failure(let error): section.diagnostics.report(.invalid(error.description), at: path)
            }
        }
        return ranges
    }
}

/// A number list entry that is not a number, range or prefix.
public struct NumberRangeError: Error, Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public var reason = "expected an E.164 number (+14155550100), a range (+14155550100-+14155550199) or a prefix (+1415555*)"

    public var description: String { "\(reason) (got \"\(text)\")" }
}
