/// The RTP header extension (RFC 3550 5.3.1): a profile-defined 16-bit value and 32-bit words of data.
public struct RTPHeaderExtension: Sendable, Hashable {
    /// `0xBEDE` for one-byte and `0x100x` for two-byte RFC 8285 extensions.
    public var profile: UInt16
    /// The extension body; its length is a multiple of four.
    public var data: [UInt8]

    public init(profile: UInt16, data: [UInt8]) {
        precondition(data.count % 4 == 0 && data.count / 4 <= Int(UInt16.max), "RTP extension is whole 32-bit words")
        self.profile = profile
        self.data = data
    }
}
