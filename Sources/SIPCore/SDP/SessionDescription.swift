/// An SDP session description (RFC 8866): the session-level lines and the media sections.
///
/// Parse with `init(parsing:limits:)`, edit through
/// the fields and the mutating helpers, serialize with ``bytes``. Lines that
/// were parsed and not edited serialize as the bytes they arrived as, so a
/// relay changes only what it means to change.
public struct SessionDescription: Sendable, Hashable {
    /// `v=`; always 0 for RFC 8866.
    public var version: Int
    public var origin: SDPOrigin
    /// `s=`; `"-"` or `" "` when the session has no name.
    public var sessionName: String
    /// `i=`
    public var information: String?
    /// `u=`
    public var uri: String?
    /// `e=` lines.
    public var emails: [String]
    /// `p=` lines.
    public var phones: [String]
    /// The session-level `c=`, the default for media sections without their own.
    public var connection: SDPConnection?
    public var bandwidths: [SDPBandwidth]
    /// `t=` lines with their `r=` lines; at least one.
    public var timings: [SDPTiming]
    /// The value of the `z=` line, uninterpreted.
    public var timeZones: String?
    /// The value of the obsolete `k=` line, uninterpreted.
    public var encryptionKey: String?
    /// Session-level `a=` lines, in order.
    public var attributes: [SDPAttribute]
    /// `m=` sections, in order.
    public var media: [MediaDescription]

    public init(
        origin: SDPOrigin,
        sessionName: String = "-",
        connection: SDPConnection? = nil,
        timings: [SDPTiming] = [SDPTiming()],
        attributes: [SDPAttribute] = [],
        media: [MediaDescription] = []
    ) {
        self.version = 0
        self.origin = origin
        self.sessionName = sessionName
        self.information = nil
        self.uri = nil
        self.emails = []
        self.phones = []
        self.connection = connection
        self.bandwidths = []
        self.timings = timings
        self.timeZones = nil
        self.encryptionKey = nil
        self.attributes = attributes
        self.media = media
    }
}
