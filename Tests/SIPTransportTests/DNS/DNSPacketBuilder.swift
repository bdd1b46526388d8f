/// Builds DNS packets byte by byte for parser tests, with compression
/// pointers placed by hand so tests say exactly what is on the wire.
struct DNSPacketBuilder {
    var bytes: [UInt8] = []

    init(id: UInt16, flags: UInt16, questions: UInt16, answers: UInt16, authorities: UInt16 = 0, additionals: UInt16 = 0) {
        for value in [id, flags, questions, answers, authorities, additionals] { u16(value) }
    }

    var offset: UInt16 { UInt16(bytes.count) }

    mutating func u16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xFF)] }
    mutating func u32(_ value: UInt32) { u16(UInt16(value >> 16)); u16(UInt16(value & 0xFFFF)) }

    /// Labels, then either a terminating zero or a pointer to `pointer`.
    mutating func name(_ labels: [String], pointer: UInt16? = nil) {
        for label in labels {
            bytes.append(UInt8(label.utf8.count))
            bytes += Array(label.utf8)
        }
        if let pointer { u16(0xC000 | pointer) } else { bytes.append(0) }
    }

    mutating func characterString(_ text: String) {
        bytes.append(UInt8(text.utf8.count))
        bytes += Array(text.utf8)
    }

    /// A record header (owner name already written) and RDATA produced by `rdata`.
    mutating func record(type: UInt16, ttl: UInt32 = 300, rdata: (inout DNSPacketBuilder) -> Void) {
        u16(type)
        u16(1)
        u32(ttl)
        let lengthAt = bytes.count
        u16(0)
        let start = bytes.count
        rdata(&self)
        let length = bytes.count - start
        bytes[lengthAt] = UInt8(length >> 8)
        bytes[lengthAt + 1] = UInt8(length & 0xFF)
    }
}
