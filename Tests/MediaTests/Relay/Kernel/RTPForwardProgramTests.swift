import Testing
@testable import Media

/// The program run over hand-built frames (BPF_PROG_TEST_RUN): no loopback, so the checksums are
/// updated the way they are for packets from a network card (CHECKSUM_NONE), and checked here.
@Suite("RTP forwarding program on single frames", .enabled(if: kernelForwardingAvailable))
struct RTPForwardProgramTests {
    static let phoneA = SocketAddress(ip: "10.0.0.1", port: 4000)!
    static let relayA = SocketAddress(ip: "10.0.0.2", port: 30000)!
    static let relayB = SocketAddress(ip: "10.0.0.2", port: 30002)!
    static let phoneB = SocketAddress(ip: "10.0.0.3", port: 5000)!

    static func forwarder() throws -> KernelForwarder {
        let kernel = try KernelForwarder(interfaces: ["lo"], capacity: 16)
        let rule = try #require(
            KernelForwardingRule(
                local: RelayEndpoint(relayA), source: RelayEndpoint(phoneA), outbound: RelayEndpoint(relayB),
                destination: RelayEndpoint(phoneB), deliverLocally: true))
        try kernel.install(rule)
        return kernel
    }

    /// Ethernet + IPv4 + UDP around `payload`, with correct checksums (or a zero UDP checksum).
    static func frame(from source: SocketAddress, to destination: SocketAddress, payload: [UInt8], udpChecksum: Bool = true, flags: UInt16 = 0x4000) -> [UInt8] {
        let udpLength = 8 + payload.count
        var ip: [UInt8] = [0x45, 0, UInt8((20 + udpLength) >> 8), UInt8((20 + udpLength) & 0xFF), 0x12, 0x34, UInt8(flags >> 8), UInt8(flags & 0xFF), 64, 17, 0, 0]
        ip += source.addressBytes + destination.addressBytes
        let ipSum = checksum(ip)
        ip[10] = UInt8(ipSum >> 8)
        ip[11] = UInt8(ipSum & 0xFF)
        var udp: [UInt8] = [UInt8(source.port >> 8), UInt8(source.port & 0xFF), UInt8(destination.port >> 8), UInt8(destination.port & 0xFF)]
        udp += [UInt8(udpLength >> 8), UInt8(udpLength & 0xFF), 0, 0] + payload
        if udpChecksum {
            var sum = checksum(pseudoHeader(ip) + udp)
            if sum == 0 { sum = 0xFFFF }
            udp[6] = UInt8(sum >> 8)
            udp[7] = UInt8(sum & 0xFF)
        }
        return [UInt8](repeating: 0, count: 12) + [0x08, 0x00] + ip + udp
    }

    static func pseudoHeader(_ ip: [UInt8]) -> [UInt8] {
        let udpLength = Int(ip[2]) << 8 + Int(ip[3]) - 20
        return Array(ip[12..<20]) + [0, 17, UInt8(udpLength >> 8), UInt8(udpLength & 0xFF)]
    }

    /// RFC 1071: the ones' complement of the ones' complement sum of 16-bit words.
    static func checksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i < bytes.count {
            sum += UInt32(bytes[i]) << 8 + (i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0)
            i += 2
        }
        while sum > 0xFFFF { sum = (sum & 0xFFFF) + (sum >> 16) }
        return ~UInt16(sum)
    }

    @Test("RFC 768 / RFC 791: a matching frame leaves from the relay's B socket to B, IPv4 and UDP checksums still valid, payload intact")
    func rewritesAndChecksums() throws {
        let kernel = try Self.forwarder()
        let payload = rtpPacket(ssrc: 0xA, sequence: 7, payload: 21)
        let result = try kernel.run(frame: Self.frame(from: Self.phoneA, to: Self.relayA, payload: payload))
        #expect(result.verdict == BPFConstant.tcPass)
        let ip = Array(result.frame[14..<34])
        let udp = Array(result.frame[34...])
        #expect(Array(ip[12..<16]) == Self.relayB.addressBytes)
        #expect(Array(ip[16..<20]) == Self.phoneB.addressBytes)
        #expect(udp[0..<4] == [0x75, 0x32, 0x13, 0x88])  // 30002 -> 5000
        #expect(Array(udp[8...]) == payload)
        #expect(Self.checksum(ip) == 0)
        #expect(Self.checksum(Self.pseudoHeader(ip) + udp) == 0)
        let counters = try #require(kernel.counters(KernelForwardingRule.Key(
            destinationAddress: RelayEndpoint(Self.relayA).ipv4!, sourceAddress: RelayEndpoint(Self.phoneA).ipv4!,
            destinationPort: 30000, sourcePort: 4000)))
        #expect(counters.packets == 1 && counters.bytes == UInt64(payload.count))
        #expect(counters.lastSSRC == 0xA && counters.lastSequence == 7)
    }

    @Test("RFC 768: a zero UDP checksum (none) stays zero")
    func zeroChecksumStaysZero() throws {
        let kernel = try Self.forwarder()
        let result = try kernel.run(frame: Self.frame(from: Self.phoneA, to: Self.relayA, payload: rtpPacket(ssrc: 1, sequence: 1), udpChecksum: false))
        #expect(result.verdict == BPFConstant.tcPass)
        #expect(result.frame[40] == 0 && result.frame[41] == 0)
        #expect(Self.checksum(Array(result.frame[14..<34])) == 0)
    }

    @Test("Fragments, RTCP, other sources, non-RTP and oversized datagrams go on untouched to user space")
    func passesWhatItDoesNotTake() throws {
        let kernel = try Self.forwarder()
        let frames = [
            Self.frame(from: Self.phoneA, to: Self.relayA, payload: rtpPacket(ssrc: 1, sequence: 1), flags: 0x2000),  // RFC 791: More Fragments
            Self.frame(from: Self.phoneA, to: Self.relayA, payload: rtcpReceiverReport(ssrc: 1) + [UInt8](repeating: 0, count: 8)),  // RFC 5761 4
            Self.frame(from: SocketAddress(ip: "10.0.0.9", port: 4000)!, to: Self.relayA, payload: rtpPacket(ssrc: 1, sequence: 1)),
            Self.frame(from: Self.phoneA, to: Self.relayA, payload: Array("INVITE sip:a@b SIP/2.0\r\n".utf8)),
            // Longer than the relay's receive slot: user space drops it as truncated.
            Self.frame(from: Self.phoneA, to: Self.relayA, payload: rtpPacket(ssrc: 1, sequence: 1, payload: 2100)),
        ]
        for frame in frames {
            let result = try kernel.run(frame: frame)
            #expect(result.verdict == BPFConstant.tcNext)
            #expect(result.frame == frame)
        }
    }
}
