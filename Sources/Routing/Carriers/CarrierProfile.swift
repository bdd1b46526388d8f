/// Everything Switchboard needs to send calls to one carrier trunk. The
/// factory methods fill in the defaults CARRIERS.md documents; every field
/// stays a setting, since carriers change them per account.
public struct CarrierProfile: Sendable, Hashable {
    /// The name rate decks, pins and logs use.
    public var name: String
    public var primaryHost: TerminationHost
    /// Tried when the primary fails over; nil for none.
    public var secondaryHost: TerminationHost?
    public var transport: CarrierTransport
    public var authentication: CarrierAuthentication
    /// How numbers are written in Request-URI, To, From and P-Asserted-Identity.
    public var numberFormat: NumberFormat
    /// Codec names as in SDP `rtpmap` (`PCMU`, `PCMA`, `G729`, `telephone-event`), preferred first.
    public var codecs: [String]
    /// Calls per second the carrier accepts; nil when it sets no limit.
    public var callsPerSecond: Int?
    /// Concurrent calls the trunk allows; nil for no limit.
    public var channelLimit: Int?
    /// Methods and options the carrier supports.
    public var extensions: Set<SIPExtension>
    public var failover: FailoverPolicy
    public var callerID: CallerIDPolicy
    /// Whether media must be SRTP (SDES, RFC 4568).
    public var requiresSRTP: Bool

    public init(
        name: String,
        primaryHost: TerminationHost,
        secondaryHost: TerminationHost? = nil,
        transport: CarrierTransport = .udp,
        authentication: CarrierAuthentication = .ipAddress,
        numberFormat: NumberFormat = .plusE164,
        codecs: [String] = ["PCMU", "PCMA", "telephone-event"],
        callsPerSecond: Int? = nil,
        channelLimit: Int? = nil,
        extensions: Set<SIPExtension> = [],
        failover: FailoverPolicy = FailoverPolicy(),
        callerID: CallerIDPolicy = CallerIDPolicy(),
        requiresSRTP: Bool = false
    ) {
        self.name = name
        self.primaryHost = primaryHost
        self.secondaryHost = secondaryHost
        self.transport = transport
        self.authentication = authentication
        self.numberFormat = numberFormat
        self.codecs = codecs
        self.callsPerSecond = callsPerSecond
        self.channelLimit = channelLimit
        self.extensions = extensions
        self.failover = failover
        self.callerID = callerID
        self.requiresSRTP = requiresSRTP
    }

    /// Whether the carrier takes `codec` (case-insensitive, as SDP encoding names compare).
    public func allows(codec: String) -> Bool {
        codecs.contains { $0.lowercased() == codec.lowercased() }
    }

    /// Whether the carrier supports `ext`.
    public func supports(_ ext: SIPExtension) -> Bool { extensions.contains(ext) }
}
