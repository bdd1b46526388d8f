#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An unchecked view of contiguous bytes, indexed like the slice it came
/// from. The typed-header parsers read through it: no bounds check or
/// reference counting per byte. Debug builds still check every index.
struct RawBytes {
    let base: UnsafePointer<UInt8>
    let startIndex: Int
    let endIndex: Int
    /// `base` moved back by `startIndex`, as an address: index `i` is at
    /// `origin + i`, one addition per byte read instead of two.
    private let origin: UInt

    @inline(__always)
    init(base: UnsafePointer<UInt8>, startIndex: Int, endIndex: Int) {
        self.base = base
        self.startIndex = startIndex
        self.endIndex = endIndex
        origin = UInt(bitPattern: Int(bitPattern: base) &- startIndex)
    }

    @inline(__always)
    subscript(i: Int) -> UInt8 {
        #if FUZZ_BOUNDS
        // The fuzzer builds with this on: an index outside the view is a bug even inside the buffer.
        precondition(i >= startIndex && i < endIndex, "RawBytes index \(i) outside \(startIndex)..<\(endIndex)")
        #else
        assert(i >= startIndex && i < endIndex, "RawBytes index \(i) outside \(startIndex)..<\(endIndex)")
        #endif
        return UnsafePointer<UInt8>(bitPattern: origin &+ UInt(bitPattern: i)).unsafelyUnwrapped.pointee
    }

    var count: Int { endIndex - startIndex }
    var isEmpty: Bool { endIndex == startIndex }
    var last: UInt8? { isEmpty ? nil : self[endIndex - 1] }
    var first: UInt8? { isEmpty ? nil : self[startIndex] }

    /// The bytes of `range`, indexed as here.
    @inline(__always)
    subscript(range: Range<Int>) -> RawBytes {
        #if FUZZ_BOUNDS
        precondition(range.lowerBound >= startIndex && range.upperBound <= endIndex)
        #else
        assert(range.lowerBound >= startIndex && range.upperBound <= endIndex)
        #endif
        return RawBytes(base: base + (range.lowerBound - startIndex), startIndex: range.lowerBound, endIndex: range.upperBound)
    }

    func contains(_ byte: UInt8) -> Bool { find(byte, from: startIndex) != nil }

    /// The first index of `byte` at or after `from`, before `to` (default:
    /// the end), with memchr.
    @inline(__always)
    func find(_ byte: UInt8, from: Int, to: Int? = nil) -> Int? {
        let end = to ?? endIndex
        guard from < end, let hit = memchr(base + (from - startIndex), Int32(byte), end - from) else { return nil }
        return startIndex + base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }

    /// ASCII case-insensitive comparison with a lowercase literal.
    @inline(__always)
    func equalsLowercase(_ lowercase: StaticString) -> Bool {
        let n = lowercase.utf8CodeUnitCount
        guard count == n else { return false }
        let lit = lowercase.utf8Start
        for i in 0..<n where ASCII.lower(base[i]) != lit[i] { return false }
        return true
    }

    /// The bytes as a Swift string (UTF-8, invalid sequences repaired).
    var utf8String: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    /// An unsigned decimal number no larger than `limit`, or nil.
    func decimalValue(limit: UInt64 = UInt64(UInt32.max)) -> UInt64? {
        guard !isEmpty else { return nil }
        if count <= 19 {
            // Nineteen digits stay below 2^64: no overflow to watch for.
            var v: UInt64 = 0
            for i in startIndex..<endIndex {
                let d = self[i] &- 0x30
                guard d < 10 else { return nil }
                v = v &* 10 &+ UInt64(d)
            }
            return v <= limit ? v : nil
        }
        var v: UInt64 = 0
        for i in startIndex..<endIndex {
            let d = self[i] &- 0x30
            guard d < 10 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 || s > limit { return nil }
            v = s
        }
        return v
    }
}

extension ArraySlice where Element == UInt8 {
    /// Runs `body` with an unchecked view of these bytes.
    @inline(__always)
    func withRawBytes<R, E: Error>(_ body: (RawBytes) throws(E) -> R) throws(E) -> R {
        try withUnsafeBufferPointer { (buffer) throws(E) -> R in
            // An empty slice may have no storage; its view is never read.
            let base = buffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
            return try body(RawBytes(base: base, startIndex: startIndex, endIndex: endIndex))
        }
    }
}
