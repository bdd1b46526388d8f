/// An `a=fmtp` attribute (RFC 8866 6.15): format-specific parameters.
public struct SDPFormatParameters: Sendable, Hashable {
    /// One `name=value` item; value is nil for bare items such as `0-16` (RFC 4733 events).
    public struct Parameter: Sendable, Hashable {
        public var name: String
        public var value: String?

        public init(name: String, value: String? = nil) {
            self.name = name
            self.value = value
        }
    }

    /// The format (payload type) the parameters apply to.
    public var format: String
    /// Everything after the format, as sent.
    public var raw: String
    /// `raw` split on `;`, each item split at its first `=`, blanks trimmed.
    public var parameters: [Parameter]

    /// The value of the first parameter named `name` (case-insensitive ASCII).
    public subscript(name: String) -> String? {
        parameters.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Parses an `a=fmtp` value; nil when there is no format.
    public init?(attributeValue value: String) {
        let trimmedStart = value.drop(while: { $0 == " " })
        let format = trimmedStart.prefix(while: { $0 != " " })
        guard !format.isEmpty else { return nil }
        let raw = trimmedStart[format.endIndex...].drop(while: { $0 == " " })
        self.format = String(format)
        self.raw = String(raw)
        self.parameters = raw.split(separator: ";").compactMap { item in
            let item = item.drop(while: { $0 == " " })
            guard !item.isEmpty else { return nil }
            if let equals = item.firstIndex(of: "=") {
                return Parameter(
                    name: String(item[..<equals]).trimmingBlanks(),
                    value: String(item[item.index(after: equals)...]).trimmingBlanks())
            }
            return Parameter(name: String(item).trimmingBlanks())
        }
    }
}

extension String {
    func trimmingBlanks() -> String {
        let utf8 = self.utf8
        guard let first = utf8.firstIndex(where: { !SDPBytes.isBlank($0) }),
            let last = utf8.lastIndex(where: { !SDPBytes.isBlank($0) })
        else { return "" }
        return String(self[first...last])
    }
}
