/// Reads the keys of one TOML table into typed values, reporting every
/// problem and falling back to the default so that reading goes on.
///
/// Each read marks its key as known; `rejectUnknownKeys()` then reports the
/// keys nobody read, with the closest known key as a suggestion.
struct ConfigurationSection {
    let path: ConfigurationKeyPath
    let entries: [String: TOMLNode]
    let diagnostics: ConfigurationDiagnostics
    private var knownKeys: [String] = []

    init(path: ConfigurationKeyPath, entries: [String: TOMLNode], diagnostics: ConfigurationDiagnostics) {
        self.path = path
        self.entries = entries
        self.diagnostics = diagnostics
    }

    /// The value of `key`, marking it known.
    mutating func value(_ key: String) -> TOMLNode? {
        knownKeys.append(key)
        return entries[key]
    }

    func report(_ problem: ConfigurationError.Problem, at key: String) {
        diagnostics.report(problem, at: path.appending(key))
    }

    /// A sub-table; a missing one reads as empty (all defaults).
    mutating func section(_ key: String) -> ConfigurationSection {
        let childPath = path.appending(key)
        switch value(key) {
        case nil:
            return ConfigurationSection(path: childPath, entries: [:], diagnostics: diagnostics)
        case .table(let entries):
            return ConfigurationSection(path: childPath, entries: entries, diagnostics: diagnostics)
        case let other?:
            report(.wrongType(expected: "table", found: other.typeName), at: key)
            return ConfigurationSection(path: childPath, entries: [:], diagnostics: diagnostics)
        }
    }

    mutating func string(_ key: String, default defaultValue: String) -> String {
        switch value(key) {
        case nil: return defaultValue
        case .string(let text): return text
        case let other?:
            report(.wrongType(expected: "string", found: other.typeName), at: key)
            return defaultValue
        }
    }

    mutating func integer(_ key: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        switch value(key) {
        case nil: return defaultValue
        case .integer(let number):
            guard range.contains(number) else {
                report(.outOfRange(value: number, range: range), at: key)
                return defaultValue
            }
            return number
        case let other?:
            report(.wrongType(expected: "integer", found: other.typeName), at: key)
            return defaultValue
        }
    }

    mutating func boolean(_ key: String, default defaultValue: Bool) -> Bool {
        switch value(key) {
        case nil: return defaultValue
        case .boolean(let flag): return flag
        case let other?:
            report(.wrongType(expected: "boolean", found: other.typeName), at: key)
            return defaultValue
        }
    }

    /// Whether `key` is present (without marking it known).
    func has(_ key: String) -> Bool { entries[key] != nil }

    /// An array of tables (`[[key]]`), each a section of its own (`key[i]`).
    mutating func tables(_ key: String) -> [ConfigurationSection] {
        let arrayPath = path.appending(key)
        switch value(key) {
        case nil:
            return []
        case .array(let elements):
            var sections: [ConfigurationSection] = []
            for (index, element) in elements.enumerated() {
                let elementPath = arrayPath.appending(index: index)
                guard case .table(let entries) = element else {
                    diagnostics.report(.wrongType(expected: "table", found: element.typeName), at: elementPath)
                    continue
                }
                sections.append(ConfigurationSection(path: elementPath, entries: entries, diagnostics: diagnostics))
            }
            return sections
        case let other?:
            report(.wrongType(expected: "array of tables", found: other.typeName), at: key)
            return []
        }
    }

    /// One of a fixed set of words, e.g. a log level.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, default defaultValue: Choice, what: String
    ) -> Choice where Choice.RawValue == String {
        let text = string(key, default: defaultValue.rawValue)
        guard let choice = Choice(rawValue: text) else {
            report(.notOneOf(what: what, value: text, expected: Choice.allCases.map(\.rawValue)), at: key)
            return defaultValue
        }
        return choice
    }

    /// An array of strings, each with its own path (`key[i]`) for later checks.
    mutating func strings(
        _ key: String, default defaultValue: [String]
    ) -> [(value: String, path: ConfigurationKeyPath)] {
        let arrayPath = path.appending(key)
        let elements: [TOMLNode]
        switch value(key) {
        case nil:
            return defaultValue.enumerated().map { ($0.element, arrayPath.appending(index: $0.offset)) }
        case .array(let array):
            elements = array
        case let other?:
            report(.wrongType(expected: "array of strings", found: other.typeName), at: key)
            return defaultValue.enumerated().map { ($0.element, arrayPath.appending(index: $0.offset)) }
        }
        var result: [(value: String, path: ConfigurationKeyPath)] = []
        for (index, element) in elements.enumerated() {
            let elementPath = arrayPath.appending(index: index)
            guard case .string(let text) = element else {
                diagnostics.report(.wrongType(expected: "string", found: element.typeName), at: elementPath)
                continue
            }
            result.append((text, elementPath))
        }
        return result
    }

    /// Reports every key present that no read asked for.
    func rejectUnknownKeys() {
        for key in entries.keys.sorted() where !knownKeys.contains(key) {
            let suggestion = Self.suggestion(for: key, among: knownKeys)
            if case .table = entries[key] {
                report(.unknownTable(suggestion: suggestion), at: key)
            } else {
                report(.unknownKey(suggestion: suggestion), at: key)
            }
        }
    }

    /// The known key closest to `key`, if it is a plausible misspelling
    /// (edit distance at most 2, or at most a third of the key's length).
    static func suggestion(for key: String, among known: [String]) -> String? {
        let limit = max(2, key.count / 3)
        let ranked = known.map { ($0, editDistance(key.lowercased(), $0)) }
            .filter { $0.1 <= limit }
            .sorted { $0.1 < $1.1 }
        return ranked.first?.0
    }

    /// Levenshtein distance over Unicode scalars.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars)
        let b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
