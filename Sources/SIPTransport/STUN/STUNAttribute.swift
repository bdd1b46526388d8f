/// One attribute of a STUN message (RFC 5389 section 15).
struct STUNAttribute: Sendable, Hashable {
    var type: UInt16
    /// Without padding.
    var value: [UInt8]
    /// Where the attribute starts in the decoded message (FINGERPRINT covers what precedes it); 0 when built.
    var offset: Int

    init(type: UInt16, value: [UInt8], offset: Int = 0) {
        self.type = type
        self.value = value
        self.offset = offset
    }

    static let mappedAddress: UInt16 = 0x0001
    static let username: UInt16 = 0x0006
    static let messageIntegrity: UInt16 = 0x0008
    static let errorCode: UInt16 = 0x0009
    static let unknownAttributes: UInt16 = 0x000A
    static let realm: UInt16 = 0x0014
    static let nonce: UInt16 = 0x0015
    static let xorMappedAddress: UInt16 = 0x0020
    static let software: UInt16 = 0x8022
    static let fingerprint: UInt16 = 0x8028

    /// Types 0x0000-0x7FFF must be understood by the receiver (RFC 5389 section 15).
    var isComprehensionRequired: Bool { type < 0x8000 }

    /// The comprehension-required attributes RFC 5389 defines; a Binding
    /// request with any other gets a 420 (section 7.3.1).
    static let understood: Set<UInt16> = [
        mappedAddress, username, messageIntegrity, errorCode, unknownAttributes, realm, nonce, xorMappedAddress,
    ]

    /// XOR-MAPPED-ADDRESS (RFC 5389 section 15.2): the port XORed with the
    /// cookie's top half, the address with the cookie (IPv4) or the cookie
    /// and the transaction id (IPv6).
    static func xorMapped(_ address: SocketAddress, transactionID: [UInt8]) -> STUNAttribute {
        var value: [UInt8] = [0, address.family == .ipv4 ? 0x01 : 0x02]
        value.appendUInt16(address.port ^ UInt16(STUNMessage.magicCookie >> 16))
        value += zip(address.addressBytes, xorKey(transactionID)).map { $0 ^ $1 }
        return STUNAttribute(type: xorMappedAddress, value: value)
    }

    /// The address an XOR-MAPPED-ADDRESS carries; nil for another attribute or a malformed one.
    func xorMappedAddress(transactionID: [UInt8]) -> SocketAddress? {
        guard type == Self.xorMappedAddress, value.count >= 8 else { return nil }
        let count: Int
        switch value[1] {
        case 0x01: count = 4
        case 0x02: count = 16
        default: return nil
        }
        guard value.count == 4 + count else { return nil }
        let port = value.readUInt16(at: 2) ^ UInt16(STUNMessage.magicCookie >> 16)
        let bytes = zip(value[4...], Self.xorKey(transactionID)).map { $0 ^ $1 }
        return SocketAddress(addressBytes: bytes, port: port)
    }

    /// ERROR-CODE (RFC 5389 section 15.6): class and number, then the reason.
    static func error(code: Int, reason: String) -> STUNAttribute {
        STUNAttribute(type: errorCode, value: [0, 0, UInt8(code / 100), UInt8(code % 100)] + Array(reason.utf8))
    }

    /// UNKNOWN-ATTRIBUTES (RFC 5389 section 15.9): the types, 16 bits each.
    static func unknown(_ types: [UInt16]) -> STUNAttribute {
        var value: [UInt8] = []
        for t in types { value.appendUInt16(t) }
        return STUNAttribute(type: unknownAttributes, value: value)
    }

    private static func xorKey(_ transactionID: [UInt8]) -> [UInt8] {
        var key: [UInt8] = []
        key.appendUInt32(STUNMessage.magicCookie)
        return key + transactionID
    }
}
