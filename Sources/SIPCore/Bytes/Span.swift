/// Where a component sits inside a parsed value: two-byte offsets from the
/// value's first byte. Parsed headers keep spans instead of `Range<Int>`,
/// so that a URI or a Via stays small to copy; values are at most 65 535
/// octets (their parsers reject longer ones).
struct Span: Hashable, Sendable {
    let lower: UInt16
    let upper: UInt16

    /// The longest value a span can describe.
    static let maxValueLength = Int(UInt16.max)

    @inline(__always)
    init(_ range: Range<Int>, base: Int) {
        lower = UInt16(truncatingIfNeeded: range.lowerBound &- base)
        upper = UInt16(truncatingIfNeeded: range.upperBound &- base)
    }

    @inline(__always)
    init?(_ range: Range<Int>?, base: Int) {
        guard let range else { return nil }
        self.init(range, base: base)
    }

    /// The range in the indices of the value that starts at `base`.
    @inline(__always)
    func range(_ base: Int) -> Range<Int> { (base &+ Int(lower))..<(base &+ Int(upper)) }
}
