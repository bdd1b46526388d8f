extension String {
    /// A string made of pieces written into one buffer of at most `capacity`
    /// UTF-8 bytes: one allocation at most (none for a short result), where
    /// appending piece by piece grows and copies. Invalid UTF-8 is repaired,
    /// as `String(decoding:as:)` repairs it.
    init(assembling capacity: Int, _ body: (inout UTF8Assembler) -> Void) {
        self.init(unsafeUninitializedCapacity: capacity) { buffer in
            var assembler = UTF8Assembler(buffer: buffer)
            body(&assembler)
            return assembler.count
        }
    }
}

/// Where `String(assembling:_:)` writes its pieces.
struct UTF8Assembler {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    fileprivate init(buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    mutating func append(_ byte: UInt8) {
        precondition(count < buffer.count, "assembled string longer than its capacity")
        buffer[count] = byte
        count += 1
    }

    mutating func append(_ text: StaticString) {
        append(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    mutating func append(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(count + bytes.count <= buffer.count, "assembled string longer than its capacity")
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
        UnsafeMutableBufferPointer(rebasing: buffer[count..<(count + bytes.count)]).baseAddress!.update(from: base, count: bytes.count)
        count += bytes.count
    }

    /// The decimal digits of `value`.
    mutating func append(decimal value: UInt32) {
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
                n += 1
            } while v > 0
            while n > 0 {
                n -= 1
                append(d[n])
            }
        }
    }

    /// Upper bound of the UTF-8 bytes of `decimal` for any `UInt32`.
    static let decimalCapacity = 10
}
