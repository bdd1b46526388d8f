/// Counters of the transport layer at one moment, for metrics and `ctl status`.
public struct TransportStatistics: Sendable, Hashable {
    /// UDP datagrams received (keep-alives included) and sent.
    public var datagramsIn = 0
    public var datagramsOut = 0
    /// Messages dropped: unparsable responses, truncated datagrams, unanswerable requests.
    public var dropped = 0
    /// Messages that failed to parse or frame (UDP and streams), answered or not.
    public var parseErrors = 0
    /// Error responses sent without a transaction (RFC 3261 18.2.1 with the parser's reason).
    public var statelessReplies = 0
    /// CRLF keep-alive pings answered (RFC 5626 4.4.1).
    public var keepAlivePings = 0
    /// STUN Binding requests answered on a UDP SIP port (RFC 5626 8), and other
    /// datagrams that looked like STUN and were dropped.
    public var stunBindingRequests = 0
    public var stunDropped = 0
    /// Sends that failed (reported through `onFailure`).
    public var sendFailures = 0
    /// TCP/TLS connections open now, accepted so far, refused at the connection limit,
    /// opened by us, closed for idleness (or a message left half-received), and
    /// closed because their TLS handshake did not complete in time.
    public var connectionsOpen = 0
    public var connectionsAccepted = 0
    public var connectionsRefused = 0
    public var connectionsInitiated = 0
    public var connectionsClosedIdle = 0
    public var connectionsClosedHandshake = 0

    public init() {}
}
