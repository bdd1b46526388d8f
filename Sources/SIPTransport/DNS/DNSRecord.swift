/// The record types the RFC 3263 procedure needs (RFC 1035 3.2.2, RFC 3596,
/// RFC 2782, RFC 3403), and SOA for the negative-caching TTL (RFC 2308).
public enum DNSRecordType: UInt16, Sendable, Hashable, CaseIterable {
    case a = 1
    case cname = 5
    case soa = 6
    case aaaa = 28
    case srv = 33
    case naptr = 35
}

/// The RDATA of a record, decoded for the types above and kept raw otherwise.
/// Names are without the trailing dot; the root name (an SRV target or NAPTR
/// replacement of ".") is the empty string.
public enum DNSRecordData: Sendable, Hashable {
    case a(SocketAddress)
    case aaaa(SocketAddress)
    case cname(String)
    case srv(priority: UInt16, weight: UInt16, port: UInt16, target: String)
    case naptr(order: UInt16, preference: UInt16, flags: String, services: String, regexp: String, replacement: String)
    /// RFC 1035 3.3.13; `minimum` bounds how long a negative answer may be cached (RFC 2308 4).
    case soa(primary: String, mailbox: String, serial: UInt32, refresh: UInt32, retry: UInt32, expire: UInt32, minimum: UInt32)
    case other(type: UInt16, bytes: [UInt8])
}

/// A resource record of the answer, authority or additional section.
public struct DNSResourceRecord: Sendable, Hashable {
    public var name: String
    public var type: UInt16
    public var recordClass: UInt16
    public var ttl: UInt32
    public var data: DNSRecordData

    public init(name: String, type: UInt16, recordClass: UInt16 = 1, ttl: UInt32, data: DNSRecordData) {
        self.name = name
        self.type = type
        self.recordClass = recordClass
        self.ttl = ttl
        self.data = data
    }
}

/// The question section entry: what was asked.
public struct DNSQuestion: Sendable, Hashable {
    public var name: String
    public var type: UInt16
    public var questionClass: UInt16

    public init(name: String, type: UInt16, questionClass: UInt16 = 1) {
        self.name = name
        self.type = type
        self.questionClass = questionClass
    }
}
