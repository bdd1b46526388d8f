/// Why a message was rejected, and the SIP response it becomes.
///
/// `reason` is short enough for a reason phrase and a log field, e.g.
/// `400 Malformed Via: missing sent-by`.
public struct SIPParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The status a server answers with (400, 416, 420, 505, …).
    public var status: Int
    /// A one-line reason, fit for a reason phrase and a log line.
    public var reason: String
    /// The header the problem was found in, if any.
    public var header: String?

    public init(status: Int, reason: String, header: String? = nil) {
        self.status = status
        self.reason = reason
        self.header = header
    }

    public var description: String { "\(status) \(reason)" }

    static func badRequest(_ reason: String, header: String? = nil) -> SIPParseError {
        SIPParseError(status: 400, reason: reason, header: header)
    }

    /// A header value that does not follow its grammar.
    static func malformed(_ header: HeaderName, _ detail: String) -> SIPParseError {
        SIPParseError(status: 400, reason: "Malformed \(header.canonicalName): \(detail)", header: header.canonicalName)
    }
}
