/// The original bytes of a parsed line (without its line end), kept so that
/// an unedited line serializes exactly as it arrived.
///
/// It takes no part in equality or hashing: two values that differ only in
/// how the peer spaced a line are equal. Setting any field of the owning
/// value drops it, and the line is rendered from the fields instead.
struct SDPVerbatimLine: Sendable, Hashable {
    var bytes: ArraySlice<UInt8>?

    init(_ bytes: ArraySlice<UInt8>? = nil) {
        self.bytes = bytes
    }

    static func == (lhs: Self, rhs: Self) -> Bool { true }
    func hash(into hasher: inout Hasher) {}
}
