import SIPCore

/// What identifies a transaction when a message arrives.
///
/// Server side (RFC 3261 17.2.3): the top Via branch with the magic cookie,
/// the sent-by, and the method, with ACK standing for INVITE. Requests whose
/// branch lacks the cookie, or is the bare cookie, are RFC 2543 requests and
/// match by Request-URI, To tag, From tag, Call-ID, CSeq and top Via. Client
/// side (17.1.3): the branch of the top Via and the CSeq method.
public struct TransactionKey: Hashable, Sendable, CustomStringConvertible {
    enum Value: Hashable, Sendable {
        case server(branch: String, sentBy: String, method: SIPMethod)
        /// Boxed: rare, and seven fields wide; keys are held per transaction twice (entry and index).
        indirect case rfc2543(RFC2543Fields)
        case client(branch: String, method: SIPMethod)
    }

    /// The fields of the last paragraph of RFC 3261 17.2.3.
    struct RFC2543Fields: Hashable, Sendable {
        var requestURI: String
        var toTag: String?
        var fromTag: String?
        var callID: String
        var sequence: UInt32
        var method: SIPMethod
        var topVia: String
    }

    let value: Value
    /// The value's hash, taken once with the process's seeded hasher: a
    /// table lookup, an insert and every rehash as the table grows (a
    /// registrar holds one key per REGISTER for 32 s) combine one word
    /// instead of hashing the strings again. Seeded, so that branches
    /// chosen by a peer cannot be made to collide.
    private let digest: Int

    init(value: Value) {
        self.value = value
        var hasher = Hasher()
        hasher.combine(value)
        digest = hasher.finalize()
    }

    public static func == (lhs: TransactionKey, rhs: TransactionKey) -> Bool {
        lhs.digest == rhs.digest && lhs.value == rhs.value
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }

    /// Whether this key uses RFC 2543 matching (no RFC 3261 branch).
    public var isRFC2543: Bool {
        if case .rfc2543 = value { return true }
        return false
    }

    public var description: String {
        switch value {
        case .server(let branch, let sentBy, let method): return "\(branch)/\(sentBy)/\(method)"
        case .client(let branch, let method): return "\(branch)/\(method)"
        case .rfc2543(let f): return "2543:\(f.callID)/\(f.sequence) \(f.method)"
        }
    }

    /// The server transaction `request` belongs to; an ACK gives the INVITE's key.
    /// For an RFC 2543 ACK this carries the ACK's To tag, which matches a
    /// re-INVITE; `TransactionLayer` also tries the key without it.
    public static func server(for request: SIPMessage) throws(SIPParseError) -> TransactionKey {
        let method = request.method == .ack ? SIPMethod.invite : request.method
        return try server(for: request, method: method)
    }

    /// The INVITE server transaction a CANCEL cancels (RFC 3261 9.2: 17.2.3 matching with the INVITE's method).
    public static func invite(cancelledBy cancel: SIPMessage) throws(SIPParseError) -> TransactionKey {
        try server(for: cancel, method: .invite)
    }

    static func server(for request: SIPMessage, method: SIPMethod) throws(SIPParseError) -> TransactionKey {
        let via = try request.topVia()
        if via.hasRFC3261Branch, let branch = via.branch {
            return TransactionKey(value: .server(branch: branch, sentBy: sentBy(via), method: method))
        }
        return try rfc2543(request, via: via, method: method, toTag: try request.to().tag)
    }

    static func rfc2543(_ request: SIPMessage, via: Via, method: SIPMethod, toTag: String?) throws(SIPParseError) -> TransactionKey {
        TransactionKey(
            value: .rfc2543(
                RFC2543Fields(
                    requestURI: request.requestURIText, toTag: toTag, fromTag: try request.from().tag,
                    callID: try request.callID(), sequence: try request.cseq().sequence, method: method,
                    topVia: via.raw.trimmingASCIIWhitespace().utf8String)))
    }

    /// The client transaction a response (or the request sent) belongs to
    /// (RFC 3261 17.1.3). Throws when the top Via has no RFC 3261 branch.
    public static func client(for message: SIPMessage) throws(SIPParseError) -> TransactionKey {
        let via = try message.topVia()
        guard via.hasRFC3261Branch, let branch = via.branch else {
            throw SIPParseError(status: 400, reason: "Top Via has no RFC 3261 branch", header: "Via")
        }
        return TransactionKey(value: .client(branch: branch, method: try message.cseq().method))
    }

    /// sent-by with the host in lower case (host names compare case-insensitively).
    static func sentBy(_ via: Via) -> String {
        let host = via.host.lowercased()
        return via.port.map { "\(host):\($0)" } ?? host
    }
}

extension ArraySlice<UInt8> {
    func trimmingASCIIWhitespace() -> ArraySlice<UInt8> {
        var s = self
        while let f = s.first, f == 0x20 || f == 0x09 || f == 0x0D || f == 0x0A { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 || l == 0x0D || l == 0x0A { s = s.dropLast() }
        return s
    }

    var utf8String: String { String(decoding: self, as: UTF8.self) }
}
