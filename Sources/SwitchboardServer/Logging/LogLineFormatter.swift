import Foundation
import Logging

/// Turns one log event into one line of text or JSON. Pure: the caller
/// supplies the time, so lines can be checked exactly.
enum LogLineFormatter {
    /// `2026-11-26T03:00:00.123Z info switchboard: config reloaded source=x.toml version=2`
    ///
    /// Metadata keys are sorted; values with spaces, quotes, `=` or control
    /// characters are quoted and escaped, so every event stays one greppable line.
    static func text(
        time: LogTimestamp, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line = "\(time) \(level.rawValue) \(label): \(escapeNewlines(message))"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(textValue(metadata[key]!.description))"
        }
        return line + "\n"
    }

    /// `{"time":"…","level":"info","logger":"switchboard","message":"…","version":"2"}`
    ///
    /// Metadata is flattened into the object with sorted keys; a metadata key
    /// equal to one of the four fixed keys is written with a `meta.` prefix.
    static func json(
        time: LogTimestamp, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata
    ) -> String {
        var line = "{\"time\":\"\(time)\",\"level\":\"\(level.rawValue)\""
        line += ",\"logger\":" + jsonString(label) + ",\"message\":" + jsonString(message)
        let members = metadata.map { key, value in (reservedKeys.contains(key) ? "meta." + key : key, value) }
        for (name, value) in members.sorted(by: { $0.0 < $1.0 }) {
            line += "," + jsonString(name) + ":" + jsonValue(value)
        }
        return line + "}\n"
    }

    private static let reservedKeys: Set<String> = ["time", "level", "logger", "message"]

    private static func escapeNewlines(_ text: String) -> String {
        guard text.contains(where: { $0.isNewline }) else { return text }
        return text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n")
    }

    private static func textValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { scalar in
                scalar == " " || scalar == "\"" || scalar == "=" || scalar.properties.generalCategory == .control
            }
        return needsQuotes ? jsonString(value) : value
    }

    private static func jsonValue(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let text):
            return jsonString(text)
        case .stringConvertible(let convertible):
            return jsonString(convertible.description)
        case .array(let values):
            return "[" + values.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let entries):
            let members = entries.keys.sorted().map { jsonString($0) + ":" + jsonValue(entries[$0]!) }
            return "{" + members.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal (RFC 8259 section 7).
    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
