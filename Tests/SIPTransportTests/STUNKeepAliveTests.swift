#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import SIPTransport

@Suite("RFC 5626 8: STUN keep-alives on the SIP port")
struct STUNKeepAliveTests {
    /// RFC 5769 2.2: sample IPv4 response, mapped address 192.0.2.1 port 32853.
    static let ipv4Response = bytes(
        """
        0101003c 2112a442 b7e7a701 bc34d686 fa87dfae 8022000b 74657374 20766563 746f7220
        00200008 0001a147 e112a643 00080014 2b91f599 fd9e90c3 8c7489f9 2af9ba53 f06be7d7
        80280004 c07d4c96
        """)
    /// RFC 5769 2.3: sample IPv6 response, mapped address 2001:db8:1234:5678:11:2233:4455:6677 port 32853.
    static let ipv6Response = bytes(
        """
        01010048 2112a442 b7e7a701 bc34d686 fa87dfae 8022000b 74657374 20766563 746f7220
        00200014 0002a147 0113a9fa a5d3f179 bc25f4b5 bed2b9d9 00080014 a382954e 4be67bf1
        1784c97c 8292c275 bfe3ed41 80280004 c8fb0b4c
        """)
    static let transactionID = bytes("b7e7a701 bc34d686 fa87dfae")

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = hex.filter(\.isHexDigit).map { UInt8(String($0), radix: 16)! }
        return stride(from: 0, to: digits.count, by: 2).map { digits[$0] << 4 | digits[$0 + 1] }
    }

    static func bindingRequest(_ transactionID: [UInt8] = transactionID, attributes: [STUNAttribute] = []) -> [UInt8] {
        STUNMessage(type: STUNMessage.bindingRequest, transactionID: transactionID, attributes: attributes).encoded()
    }

    /// A Binding request ending in a FINGERPRINT computed as RFC 5389 15.5 says.
    static func fingerprinted(_ request: [UInt8], corrupt: Bool = false) -> [UInt8] {
        var out = request
        let length = out.readUInt16(at: 2) + 8
        out[2] = UInt8(length >> 8)
        out[3] = UInt8(length & 0xFF)
        var value = CRC32.checksum(out) ^ STUNKeepAlive.fingerprintXOR
        if corrupt { value ^= 1 }
        out += [0x80, 0x28, 0x00, 0x04]
        out.appendUInt32(value)
        return out
    }

    @Test("RFC 5769 2.2: the sample IPv4 response decodes to 192.0.2.1:32853; its FINGERPRINT checks; XOR-MAPPED-ADDRESS encodes to the same bytes")
    func ipv4Vector() throws {
        let message = try #require(STUNMessage(decoding: Self.ipv4Response))
        #expect(message.type == STUNMessage.bindingSuccessResponse)
        #expect(message.transactionID == Self.transactionID)
        #expect(message.attributes.map(\.type) == [0x8022, 0x0020, 0x0008, 0x8028])
        let mapped = try #require(message.attribute(STUNAttribute.xorMappedAddress))
        #expect(mapped.xorMappedAddress(transactionID: message.transactionID) == SocketAddress(ip: "192.0.2.1", port: 32853))
        let fingerprint = try #require(message.attribute(STUNAttribute.fingerprint))
        #expect(
            fingerprint.value.readUInt32(at: 0) == CRC32.checksum(Self.ipv4Response[..<fingerprint.offset]) ^ STUNKeepAlive.fingerprintXOR)

        let encoded = STUNMessage(
            type: STUNMessage.bindingSuccessResponse, transactionID: Self.transactionID,
            attributes: [.xorMapped(SocketAddress(ip: "192.0.2.1", port: 32853)!, transactionID: Self.transactionID)]
        ).encoded()
        #expect(encoded.count == 32)
        #expect(encoded[0..<2] == Self.ipv4Response[0..<2])
        #expect(encoded[4..<20] == Self.ipv4Response[4..<20])
        #expect(encoded[20..<32] == Self.ipv4Response[36..<48])
    }

    @Test("RFC 5769 2.3: the sample IPv6 response decodes to [2001:db8:1234:5678:11:2233:4455:6677]:32853 and encodes back")
    func ipv6Vector() throws {
        let message = try #require(STUNMessage(decoding: Self.ipv6Response))
        let expected = SocketAddress(ip: "2001:db8:1234:5678:11:2233:4455:6677", port: 32853)!
        let mapped = try #require(message.attribute(STUNAttribute.xorMappedAddress))
        #expect(mapped.xorMappedAddress(transactionID: message.transactionID) == expected)
        let fingerprint = try #require(message.attribute(STUNAttribute.fingerprint))
        #expect(
            fingerprint.value.readUInt32(at: 0) == CRC32.checksum(Self.ipv6Response[..<fingerprint.offset]) ^ STUNKeepAlive.fingerprintXOR)

        let encoded = STUNMessage(
            type: STUNMessage.bindingSuccessResponse, transactionID: Self.transactionID,
            attributes: [.xorMapped(expected, transactionID: Self.transactionID)]
        ).encoded()
        #expect(encoded.count == 44)
        #expect(encoded[20..<44] == Self.ipv6Response[36..<60])
    }

    @Test("RFC 5389 15.5: CRC-32 check value of \"123456789\" is 0xCBF43926")
    func crcCheckValue() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
    }

    @Test("RFC 5389 6: only datagrams with 00 top bits and the magic cookie are STUN; SIP and CRLF are not")
    func demultiplexing() {
        #expect(STUNMessage.isCandidate(Self.bindingRequest()))
        #expect(!STUNMessage.isCandidate(Array("OPTIONS sip:a@b SIP/2.0\r\nVia: x\r\n\r\n".utf8)))
        #expect(!STUNMessage.isCandidate(Array("\r\n\r\nINVITE sip:bob@example.com SIP/2.0\r\n".utf8)))
        #expect(!STUNMessage.isCandidate(Array(Self.bindingRequest().prefix(19))))
        var rfc3489 = Self.bindingRequest()
        rfc3489[4] = 0
        #expect(!STUNMessage.isCandidate(rfc3489))
    }

    @Test("RFC 5389 7.3.1: a Binding request gets a success response with the same transaction id and XOR-MAPPED-ADDRESS")
    func answersBinding() throws {
        for source in [SocketAddress(ip: "203.0.113.9", port: 40_000)!, SocketAddress(ip: "2001:db8::9", port: 5062)!] {
            for request in [Self.bindingRequest(), Self.fingerprinted(Self.bindingRequest())] {
                guard case .reply(let bytes) = STUNKeepAlive.answer(request, from: source) else {
                    Issue.record("no reply")
                    continue
                }
                let response = try #require(STUNMessage(decoding: bytes))
                #expect(response.type == STUNMessage.bindingSuccessResponse)
                #expect(response.transactionID == Self.transactionID)
                let mapped = try #require(response.attribute(STUNAttribute.xorMappedAddress))
                #expect(mapped.xorMappedAddress(transactionID: response.transactionID) == source)
            }
        }
    }

    @Test("RFC 5389 7.3: indications, responses, bad lengths and wrong FINGERPRINTs are dropped")
    func dropsOthers() {
        let source = SocketAddress(ip: "203.0.113.9", port: 40_000)!
        var indication = Self.bindingRequest()
        indication[1] = 0x11
        var badLength = Self.bindingRequest()
        badLength[3] = 4
        let truncatedAttribute = Self.bindingRequest() + [0x80, 0x22, 0x00, 0x08, 0x61, 0x62, 0x63, 0x64]
        var fixedLength = truncatedAttribute
        fixedLength[3] = 8
        let cases: [[UInt8]] = [
            indication, Self.ipv4Response, badLength, fixedLength, Self.bindingRequest() + [0, 0],
            Self.fingerprinted(Self.bindingRequest(), corrupt: true),
        ]
        for bytes in cases {
            guard case .drop = STUNKeepAlive.answer(bytes, from: source) else {
                Issue.record("answered \(bytes)")
                continue
            }
        }
    }

    @Test("RFC 5389 7.3.1: an unknown comprehension-required attribute is answered 420 with UNKNOWN-ATTRIBUTES")
    func unknownAttribute() throws {
        let request = Self.bindingRequest(attributes: [
            STUNAttribute(type: 0x0024, value: [0x6E, 0x00, 0x01, 0xFF]), STUNAttribute(type: 0x8029, value: [UInt8](repeating: 1, count: 8)),
        ])
        guard case .reply(let bytes) = STUNKeepAlive.answer(request, from: SocketAddress(ip: "203.0.113.9", port: 1)!) else {
            Issue.record("no reply")
            return
        }
        let response = try #require(STUNMessage(decoding: bytes))
        #expect(response.type == STUNMessage.bindingErrorResponse)
        #expect(response.transactionID == Self.transactionID)
        #expect(response.attribute(STUNAttribute.errorCode)?.value.prefix(4) == [0, 0, 4, 20])
        #expect(response.attribute(STUNAttribute.unknownAttributes)?.value == [0x00, 0x24])
    }

    @Test("RFC 5626 4.4.1: a Binding request to a running UDP listener is answered, not parsed as SIP; the SIP port keeps serving")
    func overSocket() throws {
        for ip in ["127.0.0.1", "::1"] {
            let inbox = Inbox()
            let layer = try startedLayer([.udp], ip: ip, inbox: inbox)
            defer { layer.stop() }
            let peer = try UDPPeer(ip: ip)
            let id: [UInt8] = (0..<12).map { UInt8($0 * 7 + 3) }
            try peer.send(Self.bindingRequest(id), to: layer.bound(.udp, ip))
            let answer = try #require(try peer.receive())
            let response = try #require(STUNMessage(decoding: answer))
            #expect(response.type == STUNMessage.bindingSuccessResponse)
            #expect(response.transactionID == id)
            #expect(response.attribute(STUNAttribute.xorMappedAddress)?.xorMappedAddress(transactionID: id) == peer.local)

            var indication = Self.bindingRequest(id)
            indication[1] = 0x11
            try peer.send(indication, to: layer.bound(.udp, ip))
            try peer.send(request(sentBy: peer.local.description, callID: "after-stun"), to: layer.bound(.udp, ip))
            #expect(inbox.wait(messages: 1))
            #expect(inbox.received.count == 1)
            #expect(try inbox.received.first?.message.callID() == "after-stun")
            #expect(eventually { layer.statistics.stunBindingRequests == 1 && layer.statistics.stunDropped == 1 })
            #expect(layer.statistics.parseErrors == 0)
        }
    }
}
