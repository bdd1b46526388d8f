#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
            let library = sb_err_get_lib(code)
            let reason = sb_err_get_reason(code)
            entries.append(Entry(library: library, reason: reason, text: text(code: code, library: library, reason: reason, data: data, flags: flags)))
        }
        return entries
    }

    /// Drains the queue into one message: `reason (detail); reason`, or `fallback` when empty.
    static func message(fallback: String) -> String {
        message(drain(), fallback: fallback)
    }

    static func message(_ entries: [Entry], fallback: String) -> String {
        // A failed system call is queued with "system lib" wrappers from each layer above it; keep the cause.
        let hasSystemError = entries.contains { $0.library == ERR_LIB_SYS }
        var texts: [String] = []
        for entry in entries where !(hasSystemError && entry.library != ERR_LIB_SYS && entry.text == "system lib") {
            if !texts.contains(entry.text) { texts.append(entry.text) }
        }
        return texts.isEmpty ? fallback : texts.joined(separator: "; ")
    }

    private static func text(code: UInt, library: Int32, reason: Int32, data: UnsafePointer<CChar>?, flags: Int32) -> String {
        var text: String
        if library == ERR_LIB_SYS, let description = strerror(reason) {
            // System errors carry errno as their reason.
            text = String(cString: description)
        } else if let reason = ERR_reason_error_string(code) {
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
