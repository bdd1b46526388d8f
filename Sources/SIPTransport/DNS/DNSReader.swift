/// A cursor over a received DNS packet. Every read checks bounds and throws
/// `DNSError.truncatedPacket` or `.malformed`; nothing here can trap.
struct DNSReader {
    let bytes: [UInt8]
    var offset = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func read8() throws(DNSError) -> UInt8 {
        guard offset < bytes.count else { throw .truncatedPacket(offset: offset) }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func read16() throws(DNSError) -> UInt16 {
        guard offset + 2 <= bytes.count else { throw .truncatedPacket(offset: offset) }
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func read32() throws(DNSError) -> UInt32 {
        let high = try read16()
        let low = try read16()
        return UInt32(high) << 16 | UInt32(low)
    }

    mutating func readBytes(_ count: Int) throws(DNSError) -> [UInt8] {
        guard count >= 0, offset + count <= bytes.count else { throw .truncatedPacket(offset: offset) }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    /// A <character-string> (RFC 1035 3.3): a length byte and that many bytes.
    mutating func readCharacterString() throws(DNSError) -> String {
        let count = Int(try read8())
        return String(decoding: try readBytes(count), as: UTF8.self)
    }

    /// A domain name with compression (RFC 1035 4.1.4). Each pointer must go
    /// strictly below the previous jump's target and the name is capped at
    /// 255 bytes, so a pointer loop ends in `.malformed` rather than spinning.
    mutating func readName() throws(DNSError) -> String {
        var labels: [String] = []
        var position = offset
        var lowestTarget = offset
        var jumped = false
        var length = 1
        while true {
            guard position < bytes.count else { throw .truncatedPacket(offset: position) }
            let byte = bytes[position]
            switch byte & 0xC0 {
            case 0x00:
                if byte == 0 {
                    if !jumped { offset = position + 1 }
                    return labels.joined(separator: ".")
                }
                let start = position + 1
                let end = start + Int(byte)
                guard end <= bytes.count else { throw .truncatedPacket(offset: bytes.count) }
                length += Int(byte) + 1
                guard length <= 255 else { throw .malformed(offset: position, reason: "name longer than 255 bytes") }
                labels.append(String(decoding: bytes[start..<end], as: UTF8.self))
                position = end
            case 0xC0:
                guard position + 1 < bytes.count else { throw .truncatedPacket(offset: bytes.count) }
                let target = Int(byte & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < lowestTarget else { throw .malformed(offset: position, reason: "compression pointer does not point backwards") }
                if !jumped { offset = position + 2 }
                jumped = true
                lowestTarget = target
                position = target
            default:
                throw .malformed(offset: position, reason: "reserved label type")
            }
        }
    }

    mutating func readRecords(count: UInt16) throws(DNSError) -> [DNSResourceRecord] {
        var records: [DNSResourceRecord] = []
        for _ in 0..<count { records.append(try readRecord()) }
        return records
    }

    /// One resource record; the RDATA must be consumed exactly by its RDLENGTH.
    mutating func readRecord() throws(DNSError) -> DNSResourceRecord {
        let name = try readName()
        let type = try read16()
        let recordClass = try read16()
        let ttl = try read32()
        let dataLength = Int(try read16())
        let dataStart = offset
        let dataEnd = dataStart + dataLength
        guard dataEnd <= bytes.count else { throw .truncatedPacket(offset: bytes.count) }
        let data: DNSRecordData
        switch DNSRecordType(rawValue: type) {
        case .a:
            guard dataLength == 4 else { throw .malformed(offset: dataStart, reason: "A record of \(dataLength) bytes") }
            data = .a(SocketAddress(addressBytes: try readBytes(4), port: 0))
        case .aaaa:
            guard dataLength == 16 else { throw .malformed(offset: dataStart, reason: "AAAA record of \(dataLength) bytes") }
            data = .aaaa(SocketAddress(addressBytes: try readBytes(16), port: 0))
        case .cname:
            data = .cname(try readName())
        case .srv:
            let priority = try read16()
            let weight = try read16()
            let port = try read16()
            data = .srv(priority: priority, weight: weight, port: port, target: try readName())
        case .soa:
            let primary = try readName()
            let mailbox = try readName()
            data = .soa(primary: primary, mailbox: mailbox, serial: try read32(), refresh: try read32(), retry: try read32(),
                        expire: try read32(), minimum: try read32())
        case .naptr:
            let order = try read16()
            let preference = try read16()
            let flags = try readCharacterString()
            let services = try readCharacterString()
            let regexp = try readCharacterString()
            data = .naptr(order: order, preference: preference, flags: flags, services: services, regexp: regexp, replacement: try readName())
        case nil:
            data = .other(type: type, bytes: try readBytes(dataLength))
        }
        guard offset == dataEnd else { throw .malformed(offset: dataStart, reason: "RDATA length \(dataLength) does not match its content") }
        return DNSResourceRecord(name: name, type: type, recordClass: recordClass, ttl: ttl, data: data)
    }
}
