import Foundation

/// RFC 4180 records: fields separated by commas, a field with a comma,
/// double quote, CR or LF enclosed in double quotes with its quotes doubled,
/// each record ending in CRLF.
enum CSVLine {
    /// One record from its fields.
    static func make(_ fields: [String]) -> String {
        fields.map(quote).joined(separator: ",") + "\r\n"
    }

    /// RFC 4180 section 2 rules 5-7: quote only where needed.
    static func quote(_ field: String) -> String {
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A })
        else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
