#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a header value at its top-level commas (RFC 3261 7.3.1): commas
/// inside quoted strings or `<…>` are not separators. Elements are trimmed of
/// linear white space; empty elements are yielded so that grammars that
/// forbid them can reject the message.
struct ListSplitter: Sequence, IteratorProtocol {
    let bytes: ArraySlice<UInt8>
    var position: Int
    var done = false

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.position = bytes.startIndex
        self.done = bytes.isEmpty
    }

    mutating func next() -> ArraySlice<UInt8>? {
        guard !done else { return nil }
        let start = position
        let (end, more) = bytes.withRawBytes { Self.elementEnd($0, from: start) }
        if more {
            position = end + 1
        } else {
            done = true
        }
        return bytes[start..<end].trimmingWhitespace()
    }

    /// The end of the element starting at `start`, and whether a comma follows it.
    private static func elementEnd(_ bytes: RawBytes, from start: Int) -> (Int, Bool) {
        let end = bytes.endIndex
        // Most values are one element: no comma at all means no state to track.
        if start >= end || memchr(bytes.base + (start - bytes.startIndex), Int32(ASCII.comma), end - start) == nil {
            return (end, false)
        }
        var i = start
        var inQuotes = false
        var inAngle = false
        while i < end {
            let b = bytes[i]
            if inQuotes {
                if b == ASCII.backslash {
                    i += 2
                    continue
                }
                if b == ASCII.quote { inQuotes = false }
            } else if b == ASCII.quote {
                inQuotes = true
            } else if b == ASCII.lessThan {
                inAngle = true
            } else if b == ASCII.greaterThan {
                inAngle = false
            } else if b == ASCII.comma && !inAngle {
                return (i, true)
            }
            i += 1
        }
        return (Swift.min(i, end), false)
    }
}
