/// A STUN message (RFC 5389 section 6): a 20-byte header (type, length,
/// magic cookie, 96-bit transaction id) and type-length-value attributes,
/// each padded to a multiple of four bytes.
struct STUNMessage: Sendable, Hashable {
    /// Fixed in every RFC 5389 message at bytes 4..<8.
    static let magicCookie: UInt32 = 0x2112_A442
    static let headerLength = 20

    /// Method and class (RFC 5389 section 6); the two top bits are zero.
    var type: UInt16
    /// 12 bytes, chosen by the client and echoed in the response.
    var transactionID: [UInt8]
    var attributes: [STUNAttribute]

    static let bindingRequest: UInt16 = 0x0001
    static let bindingSuccessResponse: UInt16 = 0x0101
    static let bindingErrorResponse: UInt16 = 0x0111

    init(type: UInt16, transactionID: [UInt8], attributes: [STUNAttribute] = []) {
        precondition(transactionID.count == 12, "a STUN transaction id has 12 bytes")
        self.type = type
        self.transactionID = transactionID
        self.attributes = attributes
    }

    /// Whether a datagram is meant as STUN rather than SIP: at least a
    /// header, the two top bits zero and the magic cookie in place (RFC 5389
    /// section 6, RFC 5626 section 8). A SIP message starts with a letter,
    /// a CRLF keep-alive with 0x0D, so neither passes.
    static func isCandidate(_ bytes: [UInt8]) -> Bool {
        bytes.count >= headerLength && bytes[0] & 0xC0 == 0 && bytes.readUInt32(at: 4) == magicCookie
    }

    /// Decodes a whole datagram; nil unless the length field matches the
    /// datagram, is a multiple of four, and the attributes fill it exactly.
    init?(decoding bytes: [UInt8]) {
        guard Self.isCandidate(bytes) else { return nil }
        let length = Int(bytes.readUInt16(at: 2))
        guard length % 4 == 0, length == bytes.count - Self.headerLength else { return nil }
        var attributes: [STUNAttribute] = []
        var offset = Self.headerLength
        while offset < bytes.count {
            guard bytes.count - offset >= 4 else { return nil }
            let type = bytes.readUInt16(at: offset)
            let valueLength = Int(bytes.readUInt16(at: offset + 2))
            let padded = (valueLength + 3) & ~3
            guard bytes.count - offset - 4 >= padded else { return nil }
            attributes.append(STUNAttribute(type: type, value: Array(bytes[offset + 4..<offset + 4 + valueLength]), offset: offset))
            offset += 4 + padded
        }
        type = bytes.readUInt16(at: 0)
        transactionID = Array(bytes[8..<20])
        self.attributes = attributes
    }

    /// The wire form; attribute values are padded with zero bytes.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.headerLength + attributes.reduce(0) { $0 + 4 + ($1.value.count + 3) & ~3 })
        out.appendUInt16(type)
        out.appendUInt16(0)
        out.appendUInt32(Self.magicCookie)
        out += transactionID
        for attribute in attributes {
            out.appendUInt16(attribute.type)
            out.appendUInt16(UInt16(attribute.value.count))
            out += attribute.value
            out += repeatElement(0, count: (4 - attribute.value.count % 4) % 4)
        }
        let length = UInt16(out.count - Self.headerLength)
        out[2] = UInt8(length >> 8)
        out[3] = UInt8(length & 0xFF)
        return out
    }

    func attribute(_ type: UInt16) -> STUNAttribute? {
        attributes.first { $0.type == type }
    }
}

extension [UInt8] {
    func readUInt16(at i: Int) -> UInt16 { UInt16(self[i]) << 8 | UInt16(self[i + 1]) }

    func readUInt32(at i: Int) -> UInt32 { UInt32(readUInt16(at: i)) << 16 | UInt32(readUInt16(at: i + 2)) }

    mutating func appendUInt16(_ v: UInt16) {
        append(UInt8(v >> 8))
        append(UInt8(v & 0xFF))
    }

    mutating func appendUInt32(_ v: UInt32) {
        appendUInt16(UInt16(v >> 16))
        appendUInt16(UInt16(v & 0xFFFF))
    }
}
