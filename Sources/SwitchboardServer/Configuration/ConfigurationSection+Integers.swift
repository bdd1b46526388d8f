extension ConfigurationSection {
    /// An array of integers in `range`, each reported at its own path (`key[i]`).
    mutating func integers(
        _ key: String, default defaultValue: [Int], range: ClosedRange<Int>
    ) -> [(value: Int, path: ConfigurationKeyPath)] {
        let arrayPath = path.appending(key)
        let defaults = defaultValue.enumerated().map { ($0.element, arrayPath.appending(index: $0.offset)) }
        let elements: [TOMLNode]
        switch value(key) {
        case nil:
            return defaults
        case .array(let array):
            elements = array
        case let other?:
            report(.wrongType(expected: "array of integers", found: other.typeName), at: key)
            return defaults
        }
        var result: [(value: Int, path: ConfigurationKeyPath)] = []
        for (index, element) in elements.enumerated() {
            let elementPath = arrayPath.appending(index: index)
            guard case .integer(let number) = element else {
                diagnostics.report(.wrongType(expected: "integer", found: element.typeName), at: elementPath)
                continue
            }
            guard range.contains(number) else {
                diagnostics.report(.outOfRange(value: number, range: range), at: elementPath)
                continue
            }
            result.append((number, elementPath))
        }
        return result
    }
}
