/// Byte-level helpers shared by the SDP parsers; no Foundation, no copies
/// beyond the `String`s a caller asks for.
enum SDPBytes {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let slash: UInt8 = 0x2F
    static let equals: UInt8 = 0x3D
    static let semicolon: UInt8 = 0x3B
    static let pipe: UInt8 = 0x7C

    @inline(__always)
    static func isBlank(_ byte: UInt8) -> Bool { byte == space || byte == tab }

    /// Splits on runs of spaces or tabs; leading and trailing blanks yield no empty fields.
    static func fields(_ bytes: ArraySlice<UInt8>) -> [ArraySlice<UInt8>] {
        var result: [ArraySlice<UInt8>] = []
        result.reserveCapacity(6)
        var index = bytes.startIndex
        let end = bytes.endIndex
        while index < end {
            while index < end, isBlank(bytes[index]) { index += 1 }
            if index == end { break }
            let start = index
            while index < end, !isBlank(bytes[index]) { index += 1 }
            result.append(bytes[start..<index])
        }
        return result
    }

    /// Splits at the first `separator`: the part before it and the part after it, if any.
    static func splitOnce(
        _ bytes: ArraySlice<UInt8>, at separator: UInt8
    ) -> (ArraySlice<UInt8>, ArraySlice<UInt8>?) {
        guard let index = bytes.firstIndex(of: separator) else { return (bytes, nil) }
        return (bytes[bytes.startIndex..<index], bytes[(index + 1)...])
    }

    /// Removes leading and trailing spaces and tabs.
    static func trimmed(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isBlank(bytes[start]) { start += 1 }
        while end > start, isBlank(bytes[end - 1]) { end -= 1 }
        return bytes[start..<end]
    }

    /// A decimal number made only of ASCII digits, or nil on anything else or overflow.
    static func decimal<T: FixedWidthInteger & UnsignedInteger>(
        _ bytes: ArraySlice<UInt8>, as type: T.Type = T.self
    ) -> T? {
        guard !bytes.isEmpty, bytes.count <= 40 else { return nil }
        var value: T = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(T(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    @inline(__always)
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// A decimal number parsed from a `String`'s UTF-8 (for typed attribute accessors).
    static func decimal<T: FixedWidthInteger & UnsignedInteger>(
        _ text: Substring, as type: T.Type = T.self
    ) -> T? {
        var value: T = 0
        guard !text.utf8.isEmpty else { return nil }
        for byte in text.utf8 {
            let digit = byte &- 0x30
            guard digit < 10 else { return nil }
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(T(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
        }
        return value
    }

    /// Appends a field value; CR and LF are dropped so an edited value can never start a new line.
    static func append(_ text: String, to output: inout [UInt8]) {
        let appended: Void? = text.utf8.withContiguousStorageIfAvailable { buffer in
            if buffer.contains(where: { $0 == 0x0D || $0 == 0x0A }) {
                output.append(contentsOf: buffer.lazy.filter { $0 != 0x0D && $0 != 0x0A })
            } else {
                output.append(contentsOf: buffer)
            }
        }
        if appended == nil {
            var contiguous = text
            contiguous.makeContiguousUTF8()
            append(contiguous, to: &output)
        }
    }

    static func append<T: BinaryInteger>(decimal value: T, to output: inout [UInt8]) {
        output.append(contentsOf: String(value).utf8)
    }
}
