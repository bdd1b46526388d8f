/// Bounds-checked integer reads from captured bytes, in either byte order.
///
/// Offsets are relative to the start of the slice, so a header parser can be
/// handed `bytes.dropFirst(n)` and still count from zero.
extension ArraySlice where Element == UInt8 {
    @inline(__always)
    func u8(_ offset: Int) -> UInt8 {
        self[startIndex + offset]
    }

    @inline(__always)
    func u16(_ offset: Int, bigEndian: Bool = true) -> UInt16 {
        let a = UInt16(self[startIndex + offset])
        let b = UInt16(self[startIndex + offset + 1])
        return bigEndian ? a << 8 | b : b << 8 | a
    }

    @inline(__always)
    func u32(_ offset: Int, bigEndian: Bool = true) -> UInt32 {
        var value: UInt32 = 0
        for i in 0..<4 {
            let byte = UInt32(self[startIndex + offset + (bigEndian ? i : 3 - i)])
            value = value << 8 | byte
        }
        return value
    }

    @inline(__always)
    func u64(_ offset: Int, bigEndian: Bool = true) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<8 {
            let byte = UInt64(self[startIndex + offset + (bigEndian ? i : 7 - i)])
            value = value << 8 | byte
        }
        return value
    }

    /// The bytes `offset..<offset+length`, still relative-indexable.
    @inline(__always)
    func sub(_ offset: Int, _ length: Int) -> ArraySlice<UInt8> {
        self[(startIndex + offset)..<(startIndex + offset + length)]
    }

    /// The bytes from `offset` to the end.
    @inline(__always)
    func from(_ offset: Int) -> ArraySlice<UInt8> {
        self[(startIndex + offset)...]
    }
}
