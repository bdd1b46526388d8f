/// A JSON value whose objects keep their keys in the order they were added,
/// so that printed reports read top-down like the message they describe.
public indirect enum JSONDocument: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSONDocument])
    case object([(String, JSONDocument)])

    public static func == (a: JSONDocument, b: JSONDocument) -> Bool { a.rendered(pretty: false) == b.rendered(pretty: false) }

    /// The value as JSON text: indented by two spaces, or on one line.
    public func rendered(pretty: Bool = true) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += d.isFinite ? String(d) : "null"
        case .string(let s): Self.writeString(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            // Short arrays of scalars stay on one line.
            let flat = items.allSatisfy { if case .array = $0 { false } else if case .object = $0 { false } else { true } }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += pretty && flat ? ", " : "," }
                if pretty && !flat { newline(&out, indent + 1) }
                item.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty && !flat { newline(&out, indent) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                if pretty { newline(&out, indent + 1) }
                Self.writeString(key, to: &out)
                out += pretty ? ": " : ":"
                value.write(to: &out, pretty: pretty, indent: indent + 1)
            }
            if pretty { newline(&out, indent) }
            out += "}"
        }
    }

    private func newline(_ out: inout String, _ indent: Int) {
        out += "\n"
        out += String(repeating: "  ", count: indent)
    }

    private static func writeString(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

/// Builds an object, skipping members whose value is nil.
struct JSONObjectBuilder {
    var members: [(String, JSONDocument)] = []

    mutating func add(_ key: String, _ value: JSONDocument?) {
        if let value { members.append((key, value)) }
    }
    mutating func add(_ key: String, _ value: String?) { add(key, value.map { JSONDocument.string($0) }) }
    mutating func add(_ key: String, _ value: Int?) { add(key, value.map { JSONDocument.int($0) }) }

    var document: JSONDocument { .object(members) }
}
