/// A SIP method or option a carrier may or may not support; the B2BUA strips
/// or refuses what the carrier leg cannot take.
public struct SIPExtension: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    /// Reliable provisional responses, `100rel` (RFC 3262).
    public static let prack = SIPExtension(rawValue: "PRACK")
    /// Call transfer (RFC 3515).
    public static let refer = SIPExtension(rawValue: "REFER")
    /// Session changes before answer (RFC 3311).
    public static let update = SIPExtension(rawValue: "UPDATE")
    /// Mid-call information, SIP INFO DTMF (RFC 6086).
    public static let info = SIPExtension(rawValue: "INFO")
    /// Session timers, `timer` (RFC 4028).
    public static let sessionTimer = SIPExtension(rawValue: "timer")
    /// Dialog replacement, `replaces` (RFC 3891).
    public static let replaces = SIPExtension(rawValue: "replaces")

    public var description: String { rawValue }
}
