import Testing
@testable import SIPCore

@Suite("SDP editing")
struct SDPEditingTests {
    static let offer = sdp(
        "v=0",
        "o=- 20518 0 IN IP4 203.0.113.5",
        "s=SDP Data",
        "c=IN IP4 203.0.113.5",
        "t=0 0",
        "m=audio 40376 RTP/AVP 0 8 18 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:18 G729/8000",
        "a=fmtp:18 annexb=no",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=sendrecv",
        "m=video 40378 RTP/AVP 96",
        "c=IN IP4 203.0.113.6",
        "a=rtpmap:96 H264/90000",
        "a=fmtp:96 profile-level-id=42e01f",
        "a=rtcp-fb:96 nack"
    )

    @Test("RFC 3264 8: relay rewrites address, port and version; other lines stay verbatim")
    func relayRewrite() throws {
        var description = try SessionDescription(parsing: Self.offer)
        description.setConnectionAddress("198.51.100.7")
        description.media[0].port = 30000
        description.media[1].port = 30002
        description.origin.address = "198.51.100.7"
        description.incrementSessionVersion()

        let expected = Self.offer
            .replacing("o=- 20518 0 IN IP4 203.0.113.5", with: "o=- 20518 1 IN IP4 198.51.100.7")
            .replacing("c=IN IP4 203.0.113.5", with: "c=IN IP4 198.51.100.7")
            .replacing("c=IN IP4 203.0.113.6", with: "c=IN IP4 198.51.100.7")
            .replacing("m=audio 40376", with: "m=audio 30000")
            .replacing("m=video 40378", with: "m=video 30002")
        #expect(description.description == expected)

        let reparsed = try SessionDescription(parsing: description.bytes)
        #expect(reparsed == description)
        #expect(reparsed.media.map { $0.effectiveConnection(in: reparsed)?.address } == ["198.51.100.7", "198.51.100.7"])
        #expect(reparsed.origin.sessionVersion == 1)
    }

    @Test("RFC 3264 8.4: setting direction replaces the attribute in place")
    func setDirection() throws {
        var description = try SessionDescription(parsing: Self.offer)
        description.media[0].setDirection(.sendonly)
        description.media[1].setDirection(.inactive)
        #expect(description.description.contains("a=ptime:20\r\na=sendonly\r\nm=video"))
        #expect(description.description.hasSuffix("a=rtcp-fb:96 nack\r\na=inactive\r\n"))
        let reparsed = try SessionDescription(parsing: description.description)
        #expect(reparsed.media[0].direction(in: reparsed) == .sendonly)
        #expect(reparsed.media[1].direction(in: reparsed) == .inactive)
        #expect(reparsed.media[0].attributes(named: "sendrecv").isEmpty)
    }

    @Test("RFC 3264 6.1: removing formats drops their rtpmap, fmtp and rtcp-fb")
    func removeFormats() throws {
        var description = try SessionDescription(parsing: Self.offer)
        #expect(description.media[0].removeFormats(["18", "8"]) == 2)
        #expect(description.media[1].keepFormats(["0"]) == 1)
        #expect(description.media[0].formats == ["0", "101"])
        #expect(description.media[1].formats.isEmpty)
        description.media[1].formats = ["96"]
        description.media[1].port = 0
        let text = description.description
        #expect(text.contains("m=audio 40376 RTP/AVP 0 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:101 telephone-event/8000\r\n"))
        #expect(!text.contains("G729"))
        #expect(!text.contains("annexb"))
        #expect(!text.contains("rtcp-fb"))
        #expect(text.contains("m=video 0 RTP/AVP 96\r\n"))
        let reparsed = try SessionDescription(parsing: text)
        #expect(reparsed.media[0].rtpMaps.map(\.payloadType) == [0, 101])
    }

    @Test("RFC 8866 5.13: replace and remove attributes")
    func replaceAndRemoveAttributes() throws {
        var description = try SessionDescription(parsing: Self.offer)
        description.media[0].setAttribute("ptime", value: "30")
        description.media[0].removeAttributes(named: "fmtp")
        description.media[0].replaceAttributes(
            named: "rtpmap", with: [SDPAttribute(name: "rtpmap", value: "0 PCMU/8000")])
        description.setAttribute("group", value: "BUNDLE 0")
        description.attributes.append(SDPAttribute(name: "ice-lite"))
        let reparsed = try SessionDescription(parsing: description.bytes)
        let audio = reparsed.media[0]
        #expect(audio.ptime == 30)
        #expect(audio.fmtp(for: 101) == nil)
        #expect(audio.attributes.map(\.name) == ["rtpmap", "ptime", "sendrecv"])
        #expect(reparsed.attributes == [SDPAttribute(name: "group", value: "BUNDLE 0"), SDPAttribute(name: "ice-lite")])
    }

    @Test("RFC 4568 5.1.1: turning an RTP/AVP offer into an SDES offer")
    func addCrypto() throws {
        var description = try SessionDescription(parsing: Self.offer)
        description.media[0].proto = "RTP/SAVP"
        let crypto = SDESCrypto(
            tag: 1, suite: "AES_CM_128_HMAC_SHA1_80",
            keyParameters: [SDESKeyParameter(keySalt: "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR", lifetime: .powerOfTwo(31))])
        description.media[0].addCrypto(crypto)
        let text = description.description
        #expect(text.contains("m=audio 40376 RTP/SAVP 0 8 18 101\r\n"))
        #expect(text.contains("a=sendrecv\r\na=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^31\r\nm=video"))
        let reparsed = try SessionDescription(parsing: text)
        #expect(reparsed.media[0].isSecureRTP)
        #expect(reparsed.media[0].cryptos == [crypto])
    }

    @Test("RFC 8866 5: a description built from values serializes and parses back")
    func builtFromValues() throws {
        let description = SessionDescription(
            origin: SDPOrigin(sessionID: "42", sessionVersion: 1, address: "192.0.2.10"),
            connection: SDPConnection(address: "192.0.2.10"),
            media: [
                MediaDescription(
                    mediaType: "audio", port: 20000, proto: "RTP/AVP", formats: ["0", "101"],
                    attributes: [
                        RTPMap(payloadType: 101, encodingName: "telephone-event", clockRate: 8000).attribute,
                        SDPAttribute(name: "sendrecv"),
                    ])
            ])
        #expect(
            description.description
                == sdp(
                    "v=0", "o=- 42 1 IN IP4 192.0.2.10", "s=-", "c=IN IP4 192.0.2.10", "t=0 0",
                    "m=audio 20000 RTP/AVP 0 101", "a=rtpmap:101 telephone-event/8000", "a=sendrecv"))
        #expect(try SessionDescription(parsing: description.bytes) == description)
    }

    @Test("RFC 8866 5: an edited value cannot inject lines")
    func noLineInjection() throws {
        var description = try SessionDescription(parsing: Self.offer)
        description.sessionName = "x\r\nm=audio 1 RTP/AVP 0"
        description.media[0].setAttribute("label", value: "a\nb")
        let text = description.description
        #expect(text.contains("s=xm=audio 1 RTP/AVP 0\r\n"))
        #expect(text.contains("a=label:ab\r\n"))
        #expect(try SessionDescription(parsing: text).media.count == 2)
    }
}
