/// Why bytes were not accepted as RTP or RTCP (RFC 3550 5.1, 6.4, A.1, A.2); each becomes a `malformed` drop.
public enum RTPParseError: Error, Sendable, Hashable {
    /// Shorter than the fixed header, or than what its own fields announce.
    case truncated
    /// The version field is not 2.
    case unsupportedVersion(UInt8)
    /// The padding count is zero or larger than the payload.
    case invalidPadding
    /// An RTCP length field does not add up to the compound packet's size.
    case invalidLength
    /// A compound RTCP packet that does not start with SR or RR (RFC 3550 6.1).
    case compoundMustStartWithReport
    /// Padding set on an RTCP packet that is not the last of its compound (RFC 3550 A.2).
    case paddingNotLast
    /// A report count larger than the packet's length allows.
    case invalidReportCount
}
