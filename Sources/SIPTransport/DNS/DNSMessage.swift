/// A DNS message (RFC 1035 4.1): the header fields the client needs and the
/// four sections. Queries are encoded; responses are parsed with every read
/// bounds-checked, so any byte string yields either a message or a `DNSError`.
public struct DNSMessage: Sendable, Hashable {
    public var id: UInt16
    /// The 16 flag bits of the header (QR, OPCODE, AA, TC, RD, RA, Z, RCODE).
    public var flags: UInt16
    public var questions: [DNSQuestion]
    public var answers: [DNSResourceRecord]
    public var authorities: [DNSResourceRecord]
    public var additionals: [DNSResourceRecord]

    public var isResponse: Bool { flags & 0x8000 != 0 }
    public var isTruncated: Bool { flags & 0x0200 != 0 }
    public var recursionDesired: Bool { flags & 0x0100 != 0 }
    public var responseCode: UInt8 { UInt8(flags & 0x000F) }

    public init(id: UInt16, flags: UInt16, questions: [DNSQuestion] = [], answers: [DNSResourceRecord] = [], authorities: [DNSResourceRecord] = [], additionals: [DNSResourceRecord] = []) {
        self.id = id
        self.flags = flags
        self.questions = questions
        self.answers = answers
        self.authorities = authorities
        self.additionals = additionals
    }

    /// A standard query with one question, class IN and RD set (RFC 1035 4.1.1).
    public static func query(id: UInt16, name: String, type: DNSRecordType) throws(DNSError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(18 + name.utf8.count)
        append16(id, to: &bytes)
        append16(0x0100, to: &bytes)
        append16(1, to: &bytes)
        append16(0, to: &bytes)
        append16(0, to: &bytes)
        append16(0, to: &bytes)
        try appendName(name, to: &bytes)
        append16(type.rawValue, to: &bytes)
        append16(1, to: &bytes)
        return bytes
    }

    /// Parses a message; trailing bytes after the counted records are ignored.
    public init(parsing bytes: [UInt8]) throws(DNSError) {
        var reader = DNSReader(bytes: bytes)
        id = try reader.read16()
        flags = try reader.read16()
        let questionCount = try reader.read16()
        let answerCount = try reader.read16()
        let authorityCount = try reader.read16()
        let additionalCount = try reader.read16()
        questions = []
        for _ in 0..<questionCount {
            let name = try reader.readName()
            let type = try reader.read16()
            let questionClass = try reader.read16()
            questions.append(DNSQuestion(name: name, type: type, questionClass: questionClass))
        }
        answers = try reader.readRecords(count: answerCount)
        authorities = try reader.readRecords(count: authorityCount)
        additionals = try reader.readRecords(count: additionalCount)
    }

    private static func append16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    /// RFC 1035 2.3.4: labels of 1 to 63 bytes, 255 bytes in all; a trailing dot is allowed.
    private static func appendName(_ name: String, to bytes: inout [UInt8]) throws(DNSError) {
        var text = Substring(name)
        if text.hasSuffix(".") { text = text.dropLast() }
        var length = 1
        if !text.isEmpty {
            for label in text.split(separator: ".", omittingEmptySubsequences: false) {
                let utf8 = Array(label.utf8)
                guard (1...63).contains(utf8.count) else { throw .invalidName(name) }
                length += utf8.count + 1
                guard length <= 255 else { throw .invalidName(name) }
                bytes.append(UInt8(utf8.count))
                bytes.append(contentsOf: utf8)
            }
        }
        bytes.append(0)
    }
}
