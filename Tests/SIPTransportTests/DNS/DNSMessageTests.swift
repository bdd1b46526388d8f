import Testing

@testable import SIPTransport

@Suite("DNS message encoding and parsing")
struct DNSMessageTests {
    /// A response to `_sip._udp.carrier.test SRV` with two SRV answers whose
    /// owner names point at the question, one target spelled out and one
    /// compressed against it, and an A record for the first target in the
    /// additional section.
    static func srvResponse() -> [UInt8] {
        var p = DNSPacketBuilder(id: 0xBEEF, flags: 0x8180, questions: 1, answers: 2, additionals: 1)
        let question = p.offset
        p.name(["_sip", "_udp", "carrier", "test"])
        p.u16(33)
        p.u16(1)
        let domain = question + 10  // "carrier.test" inside the question name
        var sbc1: UInt16 = 0
        p.name([], pointer: question)
        p.record(type: 33) { r in
            r.u16(10); r.u16(60); r.u16(5080)
            sbc1 = r.offset
            r.name(["sbc1"], pointer: domain)
        }
        p.name([], pointer: question)
        p.record(type: 33) { r in
            r.u16(20); r.u16(0); r.u16(5060)
            r.name(["sbc2"], pointer: domain)
        }
        p.name([], pointer: sbc1)
        p.record(type: 1) { r in r.bytes += [192, 0, 2, 10] }
        return p.bytes
    }

    @Test("RFC 1035 4.1.1, 4.1.2: a query has one question, RD set, class IN")
    func queryEncoding() throws {
        let bytes = try DNSMessage.query(id: 0x1234, name: "carrier.test.", type: .naptr)
        #expect(bytes == [0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0,
                          7] + Array("carrier".utf8) + [4] + Array("test".utf8) + [0, 0, 35, 0, 1])
        let parsed = try DNSMessage(parsing: bytes)
        #expect(parsed.id == 0x1234 && parsed.recursionDesired && !parsed.isResponse)
        #expect(parsed.questions == [DNSQuestion(name: "carrier.test", type: 35)])
    }

    @Test("RFC 1035 2.3.4: names that cannot be encoded are refused")
    func invalidNames() {
        #expect(throws: DNSError.self) { try DNSMessage.query(id: 1, name: "a..test", type: .a) }
        #expect(throws: DNSError.self) { try DNSMessage.query(id: 1, name: String(repeating: "x", count: 64) + ".test", type: .a) }
        let long = Array(repeating: String(repeating: "y", count: 63), count: 4).joined(separator: ".")
        #expect(throws: DNSError.self) { try DNSMessage.query(id: 1, name: long, type: .a) }
    }

    @Test("RFC 1035 4.1.4, RFC 2782: SRV answers with compressed owner and target names, A in the additional section")
    func srvWithCompression() throws {
        let m = try DNSMessage(parsing: Self.srvResponse())
        #expect(m.id == 0xBEEF && m.isResponse && m.responseCode == 0 && !m.isTruncated)
        #expect(m.questions == [DNSQuestion(name: "_sip._udp.carrier.test", type: 33)])
        #expect(m.answers.map(\.name) == ["_sip._udp.carrier.test", "_sip._udp.carrier.test"])
        #expect(m.answers.map(\.data) == [
            .srv(priority: 10, weight: 60, port: 5080, target: "sbc1.carrier.test"),
            .srv(priority: 20, weight: 0, port: 5060, target: "sbc2.carrier.test"),
        ])
        #expect(m.additionals == [DNSResourceRecord(name: "sbc1.carrier.test", type: 1, ttl: 300, data: .a(SocketAddress(ip: "192.0.2.10", port: 0)!))])
    }

    @Test("RFC 3403 4.1, RFC 3263 4.1: NAPTR with an empty regexp and a replacement; AAAA; CNAME")
    func naptrAAAAndCNAME() throws {
        var p = DNSPacketBuilder(id: 7, flags: 0x8180, questions: 0, answers: 3)
        let owner = p.offset
        p.name(["carrier", "test"])
        p.record(type: 35) { r in
            r.u16(10); r.u16(50)
            r.characterString("S"); r.characterString("SIP+D2T"); r.characterString("")
            r.name(["_sip", "_tcp"], pointer: owner)
        }
        p.name(["www"], pointer: owner)
        p.record(type: 5) { r in r.name(["sbc1"], pointer: owner) }
        p.name(["sbc1"], pointer: owner)
        p.record(type: 28) { r in r.bytes += [0x20, 0x01, 0x0d, 0xb8] + Array(repeating: 0, count: 11) + [1] }
        let m = try DNSMessage(parsing: p.bytes)
        #expect(m.answers.map(\.data) == [
            .naptr(order: 10, preference: 50, flags: "S", services: "SIP+D2T", regexp: "", replacement: "_sip._tcp.carrier.test"),
            .cname("sbc1.carrier.test"),
            .aaaa(SocketAddress(ip: "2001:db8::1", port: 0)!),
        ])
        #expect(m.answers.map(\.name) == ["carrier.test", "www.carrier.test", "sbc1.carrier.test"])
    }

    @Test("RFC 1035 4.1.3: a record type we do not decode is kept raw; RCODE and TC are read")
    func otherTypeAndFlags() throws {
        var p = DNSPacketBuilder(id: 9, flags: 0x8383, questions: 0, answers: 1)
        p.name(["t"])
        p.record(type: 16) { r in r.characterString("hi") }
        let m = try DNSMessage(parsing: p.bytes)
        #expect(m.answers.first?.data == .other(type: 16, bytes: [2, 0x68, 0x69]))
        #expect(m.responseCode == 3 && m.isTruncated)
    }

    @Test("RFC 1035 4.1.4: compression pointers that loop or point forward are malformed, not followed")
    func compressionLoops() {
        var selfLoop = DNSPacketBuilder(id: 1, flags: 0x8180, questions: 1, answers: 0)
        selfLoop.name([], pointer: selfLoop.offset)
        selfLoop.u16(1); selfLoop.u16(1)
        #expect(throws: DNSError.self) { try DNSMessage(parsing: selfLoop.bytes) }

        // "a" then a pointer back to "a": strictly backwards per pointer, but a cycle.
        var cycle = DNSPacketBuilder(id: 1, flags: 0x8180, questions: 1, answers: 0)
        let start = cycle.offset
        cycle.name(["a"], pointer: start)
        cycle.u16(1); cycle.u16(1)
        #expect(throws: DNSError.self) { try DNSMessage(parsing: cycle.bytes) }

        var forward = DNSPacketBuilder(id: 1, flags: 0x8180, questions: 1, answers: 0)
        forward.name([], pointer: forward.offset + 6)
        forward.u16(1); forward.u16(1)
        forward.name(["x"])
        #expect(throws: DNSError.self) { try DNSMessage(parsing: forward.bytes) }
    }

    @Test("RFC 1035 3.4.1: RDATA whose length does not fit its type is malformed")
    func wrongRDataLength() {
        var p = DNSPacketBuilder(id: 1, flags: 0x8180, questions: 0, answers: 1)
        p.name(["h"])
        p.record(type: 1) { r in r.bytes += [127, 0, 0] }
        #expect(throws: DNSError.malformed(offset: 25, reason: "A record of 3 bytes")) { try DNSMessage(parsing: p.bytes) }
        var srv = DNSPacketBuilder(id: 1, flags: 0x8180, questions: 0, answers: 1)
        srv.name(["h"])
        srv.record(type: 33) { r in r.u16(1); r.u16(1); r.u16(1); r.name(["t"]); r.bytes.append(0) }
        #expect(throws: DNSError.self) { try DNSMessage(parsing: srv.bytes) }
    }

    @Test("RFC 1035 4.1: a response cut at every byte is a truncated-packet error")
    func truncatedAtEveryByte() throws {
        let full = Self.srvResponse()
        for length in 0..<full.count {
            do {
                _ = try DNSMessage(parsing: Array(full.prefix(length)))
                Issue.record("a packet of \(length) of \(full.count) bytes parsed")
            } catch {
                guard case .truncatedPacket = error else {
                    Issue.record("\(length) bytes: \(error)")
                    continue
                }
            }
        }
        #expect(try DNSMessage(parsing: full).answers.count == 2)
    }

    @Test("RFC 1035 4.1: mutated packets give a message or a DNSError, never a trap (bounded deterministic fuzz)")
    func mutationFuzz() {
        var generator = SplitMix64(seed: 0x5EED)
        let seeds = [Self.srvResponse(), (try? DNSMessage.query(id: 3, name: "a.b.c", type: .srv)) ?? []]
        var errors = 0
        for round in 0..<20_000 {
            var bytes = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(generator.next() % 4)) {
                let index = Int(generator.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: generator.next())
            }
            if generator.next() % 4 == 0 { bytes = Array(bytes.prefix(Int(generator.next() % UInt64(bytes.count + 1)))) }
            do { _ = try DNSMessage(parsing: bytes) } catch { errors += 1 }
        }
        #expect(errors > 0)
    }
}

/// A small seeded generator so the fuzz test sees the same inputs on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
