/// A stub resolver: one question over UDP to one configured nameserver, with
/// a timeout per attempt and one retry; a truncated answer is asked again
/// over TCP. It blocks the calling thread (for at
/// most `attempts × timeout`), so callers run it off the message path.
public struct DNSClient: Sendable {
    public var nameserver: SocketAddress
    /// How long each attempt waits for a matching response.
    public var timeoutMilliseconds: Int32
    /// Attempts in all: the first send and the retries.
    public var attempts: Int

    public init(nameserver: SocketAddress, timeoutMilliseconds: Int32 = 2_000, attempts: Int = 2) {
        self.nameserver = nameserver
        self.timeoutMilliseconds = timeoutMilliseconds
        self.attempts = max(1, attempts)
    }

    /// The answer and additional records for `name`/`type`. NXDOMAIN,
    /// SERVFAIL and other RCODEs are errors; a name
    /// with no records of that type is an empty array.
    public func lookup(_ name: String, type: DNSRecordType) throws(DNSError) -> [DNSResourceRecord] {
        let response = try query(name, type: type)
        return response.answers + response.additionals
    }

    /// The full response to one question.
    public func query(_ name: String, type: DNSRecordType) throws(DNSError) -> DNSMessage {
        try Self.verdict(try response(name, type: type))
    }

    /// The response to one question whatever its RCODE (NXDOMAIN included,
    /// with the SOA a cache needs); only timeouts, socket errors and
    /// unreadable packets are thrown.
    public func response(_ name: String, type: DNSRecordType) throws(DNSError) -> DNSMessage {
        let socket = try DNSSocket(connectedTo: nameserver)
        var previous: UInt16?
        for _ in 0..<attempts {
            var id = UInt16.random(in: .min ... .max)
            if id == previous { id &+= 1 }  // a late answer to the first try must not match the retry
            previous = id
            try socket.send(try DNSMessage.query(id: id, name: name, type: type))
            if let response = try awaitResponse(on: socket, id: id, name: name, type: type) {
                guard response.isTruncated, response.responseCode == 0 else { return response }
                return try responseOverTCP(name, type: type)
            }
        }
        throw .timeout
    }

    /// RFC 1035 4.2.2, RFC 7766: the same question over TCP after a truncated
    /// UDP answer, within one attempt's timeout and without a retry.
    private func responseOverTCP(_ name: String, type: DNSRecordType) throws(DNSError) -> DNSMessage {
        let id = UInt16.random(in: .min ... .max)
        let bytes = try DNSSocket.exchangeOverTCP(try DNSMessage.query(id: id, name: name, type: type), with: nameserver,
                                                  waitingAtMost: timeoutMilliseconds)
        let response = try DNSMessage(parsing: bytes)
        guard response.isResponse, response.id == id else {
            throw .malformed(offset: 0, reason: "TCP response does not answer the query")
        }
        return response
    }

    /// Waits out this attempt's deadline, skipping datagrams that do not
    /// answer this question (stale IDs from an earlier attempt, garbage).
    private func awaitResponse(on socket: borrowing DNSSocket, id: UInt16, name: String, type: DNSRecordType) throws(DNSError) -> DNSMessage? {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(Int(timeoutMilliseconds)))
        while true {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { return nil }
            let (seconds, attoseconds) = left.components
            let milliseconds = Int32(clamping: seconds * 1_000 + attoseconds / 1_000_000_000_000_000 + 1)
            guard let bytes = try socket.receive(waitingAtMost: milliseconds) else { return nil }
            guard let message = try? DNSMessage(parsing: bytes), message.isResponse, message.id == id else { continue }
            if let question = message.questions.first {
                guard message.questions.count == 1, question.type == type.rawValue,
                      Self.sameName(question.name, name) else { continue }
            } else if message.responseCode == 0 {
                continue
            }
            return message
        }
    }

    static func verdict(_ message: DNSMessage) throws(DNSError) -> DNSMessage {
        switch message.responseCode {
        case 0: break
        case 2: throw .serverFailure
        case 3: throw .nameError
        case let code: throw .responseCode(code)
        }
        guard !message.isTruncated else { throw .truncatedResponse }
        return message
    }

    /// DNS names compare case-insensitively (ASCII) and without a trailing dot.
    static func sameName(_ a: String, _ b: String) -> Bool {
        func canonical(_ s: String) -> String { (s.hasSuffix(".") ? String(s.dropLast()) : s).lowercased() }
        return canonical(a) == canonical(b)
    }
}
