import COpenSSL
import CSwitchboardShims

/// OpenSSL's per-thread error queue: cleared before each call into OpenSSL
/// and drained after a failure, so that an error names this call's cause only.
enum OpenSSLErrorQueue {
    /// One queued error: library and reason codes plus readable text.
    struct Entry: Sendable, Hashable {
        var library: Int32
        var reason: Int32
        var text: String
    }

    static func clear() {
        ERR_clear_error()
    }

    /// Removes and returns every queued error, oldest first.
    static func drain() -> [Entry] {
        var entries: [Entry] = []
        while true {
            var data: UnsafePointer<CChar>?
            var flags: Int32 = 0
            let code = ERR_get_error_all(nil, nil, nil, &data, &flags)
            if code == 0 { break }
            entries.append(Entry(library: sb_err_get_lib(code), reason: sb_err_get_reason(code), text: text(code: code, data: data, flags: flags)))
        }
        return entries
    }

    /// Drains the queue into one message: `reason (detail); reason`, or `fallback` when empty.
    static func message(fallback: String) -> String {
        message(drain(), fallback: fallback)
    }

    static func message(_ entries: [Entry], fallback: String) -> String {
        entries.isEmpty ? fallback : entries.map(\.text).joined(separator: "; ")
    }

    private static func text(code: UInt, data: UnsafePointer<CChar>?, flags: Int32) -> String {
        var text: String
        if let reason = ERR_reason_error_string(code) {
            text = String(cString: reason)
        } else {
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            text = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        if let data, flags & ERR_TXT_STRING != 0, data.pointee != 0 {
            text += " (\(String(cString: data)))"
        }
        return text
    }
}
