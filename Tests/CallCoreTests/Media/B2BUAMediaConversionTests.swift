import Media
import SIPCore
import SIPTransport
import Testing

@testable import CallCore

@Suite("B2BUA media anchor: transcoding and SRTP between the legs")
struct B2BUAMediaConversionTests {
    typealias H = B2BUAHarness
    typealias M = MediaHarness

    static func payloadType(_ packet: [UInt8]) -> UInt8 { packet[1] & 0x7F }

    @Test("RFC 7587, RFC 3551: Opus-only caller, PCMU-only carrier: PCMU + telephone-event offered on B, transcoded both ways")
    func opusToPCMU() throws {
        let m = try M(MediaPolicy(allowedCodecs: ["PCMU"]))
        let offer = M.sdp(
            ip: M.phoneIP, ["audio \(m.phoneA.port) RTP/AVP 111 110"],
            extra: [["a=rtpmap:111 opus/48000/2", "a=fmtp:111 useinbandfec=1", "a=rtpmap:110 telephone-event/48000"]])
        let bInvite = try m.call(offer: offer)
        let bOffer = try bInvite.sdp().media[0]
        #expect(bOffer.formats == ["0", "101"])
        #expect(bOffer.codec(for: 0)?.encodingName == "PCMU")
        #expect(bOffer.codec(for: 101)?.encodingName == "telephone-event")
        #expect(!bOffer.formats.contains("111"))

        let ok = try m.answer(bInvite, with: M.pcmuAnswer(m.phoneB))
        let aAnswer = try ok.sdp().media[0]
        #expect(aAnswer.formats == ["111", "110"])
        #expect(aAnswer.codec(for: 111)?.encodingName == "opus")
        #expect(aAnswer.fmtp(forFormat: "111") != nil)

        // An Opus packet as the caller's phone would send it.
        let encoder = try RTPTranscoder(
            from: .init(codec: .pcmu, payloadType: 0), to: .init(codec: .opus, payloadType: 111))
        var opus = rtpPacket(ssrc: 0xA, sequence: 1, payloadType: 0)
        #expect(encoder.transformRTP(&opus) == .forward)
        #expect(Self.payloadType(opus) == 111)

        m.phoneA.send(opus, to: M.relayIP, port: aAnswer.port)
        let atB = try #require(m.phoneB.receive())
        #expect(Self.payloadType(atB.bytes) == 0)
        #expect(atB.bytes.count == 12 + 160, "20 ms of PCMU")

        let bPort = try bInvite.sdp().media[0].port
        m.phoneB.send(rtpPacket(ssrc: 0xB, sequence: 1, payloadType: 0), to: M.relayIP, port: bPort)
        let atA = try #require(m.phoneA.receive())
        #expect(Self.payloadType(atA.bytes) == 111)
        #expect(atA.bytes.count < 12 + 160, "Opus, not G.711")
    }

    @Test("RFC 7587 6.1: a PCMU caller toward an Opus-only carrier: Opus offered with useinbandfec=1, transcoded both ways")
    func pcmuToOpusOffersFEC() throws {
        let m = try M(MediaPolicy(allowedCodecs: ["opus"]))
        let bInvite = try m.call(offer: m.pcmuOffer)
        let bOffer = try bInvite.sdp().media[0]
        let opusType = try #require(bOffer.payloadTypes.first { bOffer.codec(for: $0)?.encodingName.lowercased() == "opus" })
        #expect(bOffer.fmtp(for: opusType)?["useinbandfec"] == "1")

        let answer = M.sdp(
            ip: M.carrierIP, ["audio \(m.phoneB.port) RTP/AVP \(opusType)"],
            extra: [["a=rtpmap:\(opusType) opus/48000/2", "a=fmtp:\(opusType) useinbandfec=1"]])
        let ok = try m.answer(bInvite, with: answer)
        let aPort = try ok.sdp().media[0].port
        m.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 1, payloadType: 0), to: M.relayIP, port: aPort)
        let atB = try #require(m.phoneB.receive())
        #expect(Self.payloadType(atB.bytes) == opusType)
        #expect(atB.bytes.count < 12 + 160, "Opus, not G.711")
    }

    @Test("RFC 3264 8.4: the carrier's hold re-INVITE reaches the Opus caller in Opus, the answer goes back in PCMU, ports kept")
    func transcodedReinviteFromCarrier() throws {
        let m = try M(MediaPolicy(allowedCodecs: ["PCMU"]))
        let offer = M.sdp(ip: M.phoneIP, ["audio \(m.phoneA.port) RTP/AVP 111"], extra: [["a=rtpmap:111 opus/48000/2"]])
        let bInvite = try m.call(offer: offer)
        let ok = try m.answer(bInvite, with: M.pcmuAnswer(m.phoneB))
        let aPort = try ok.sdp().media[0].port
        let bPort = try bInvite.sdp().media[0].port

        let hold = M.pcmuAnswer(m.phoneB, extra: ["a=sendonly"])
        m.sip.receive(H.bRequest("INVITE", cseq: 2, invite: bInvite, branch: "z9hG4bKcarrierre1", body: hold), from: H.carrier1)
        let toA = try #require(m.sip.take(to: H.pbx).first { $0.method == .invite })
        let aOffer = try toA.sdp().media[0]
        #expect(aOffer.formats == ["111"])
        #expect(aOffer.port == aPort)
        #expect(aOffer.declaredDirection == .sendonly)

        let holdAnswer = M.sdp(ip: M.phoneIP, ["audio \(m.phoneA.port) RTP/AVP 111"], extra: [["a=rtpmap:111 opus/48000/2", "a=recvonly"]])
        m.sip.receive(H.response(to: toA, 200, "OK", toTag: "a1", body: holdAnswer), from: H.pbx)
        let toB = try #require(m.sip.take(to: H.carrier1).first { $0.statusCode == 200 })
        let bAnswer = try toB.sdp().media[0]
        #expect(bAnswer.formats == ["0", "101"])
        #expect(bAnswer.port == bPort)
        #expect(bAnswer.declaredDirection == .recvonly)
    }

    @Test("RFC 4568, RFC 3711: an SRTP-required target gets RTP/SAVP with our a=crypto; its leg carries SRTP both ways")
    func srtpRequiredTarget() throws {
        let m = try M(MediaPolicy(srtp: .required, sdesSuites: [.aesCM128HMACSHA1_80]))
        let bInvite = try m.call(offer: m.pcmuOffer)
        let bOffer = try bInvite.sdp().media[0]
        #expect(bOffer.proto == "RTP/SAVP")
        let offered = try #require(bOffer.values(ofAttribute: "crypto").first.flatMap(SDESCrypto.init(attributeValue:)))
        #expect(offered.suite == "AES_CM_128_HMAC_SHA1_80")
        let relayKey = try SRTPKeyMaterial(crypto: offered)

        let carrierKey = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let answer = M.sdp(
            ip: M.carrierIP, session: "7", ["audio \(m.phoneB.port) RTP/SAVP 0"],
            extra: [["a=crypto:\(carrierKey.sdesCrypto(tag: offered.tag).attributeValue)"]])
        let ok = try m.answer(bInvite, with: answer)
        let aAnswer = try ok.sdp().media[0]
        #expect(aAnswer.proto == "RTP/AVP")
        #expect(!aAnswer.hasAttribute(named: "crypto"), "the caller's leg stays plain RTP")

        let plain = rtpPacket(ssrc: 0xA, sequence: 1)
        m.phoneA.send(plain, to: M.relayIP, port: aAnswer.port)
        var atB = try #require(m.phoneB.receive()).bytes
        #expect(atB != plain)
        #expect(atB.count == plain.count + 10, "an 80-bit authentication tag")
        let unprotector = try SRTPUnprotector(key: relayKey)
        #expect(unprotector.transformRTP(&atB) == .forward)
        #expect(atB == plain)

        var secure = rtpPacket(ssrc: 0xB, sequence: 5)
        let reply = secure
        let protector = try SRTPProtector(key: carrierKey)
        #expect(protector.transformRTP(&secure) == .forward)
        m.phoneB.send(secure, to: M.relayIP, port: bOffer.port)
        #expect(try #require(m.phoneA.receive()).bytes == reply)
    }

    @Test("RFC 4568 7.1: SDES from the caller to a plain carrier: SRTP ends at the relay on A's side")
    func srtpTerminatedOnA() throws {
        let m = try M()
        let callerKey = SRTPKeyMaterial.generate(suite: .aesCM128HMACSHA1_80)
        let offer = M.sdp(
            ip: M.phoneIP, ["audio \(m.phoneA.port) RTP/SAVP 0"], extra: [["a=crypto:\(callerKey.sdesCrypto(tag: 3).attributeValue)"]])
        let bInvite = try m.call(offer: offer)
        let bOffer = try bInvite.sdp().media[0]
        #expect(bOffer.proto == "RTP/AVP")
        #expect(!bOffer.hasAttribute(named: "crypto"))

        let ok = try m.answer(bInvite, with: M.sdp(ip: M.carrierIP, session: "7", ["audio \(m.phoneB.port) RTP/AVP 0"]))
        let aAnswer = try ok.sdp().media[0]
        #expect(aAnswer.proto == "RTP/SAVP")
        let answered = try #require(aAnswer.values(ofAttribute: "crypto").first.flatMap(SDESCrypto.init(attributeValue:)))
        #expect(answered.tag == 3, "the answer echoes the offered tag")
        let relayKey = try SRTPKeyMaterial(crypto: answered)
        #expect(relayKey != callerKey)

        var secure = rtpPacket(ssrc: 0xA, sequence: 1)
        let plain = secure
        #expect(try SRTPProtector(key: callerKey).transformRTP(&secure) == .forward)
        m.phoneA.send(secure, to: M.relayIP, port: aAnswer.port)
        #expect(try #require(m.phoneB.receive()).bytes == plain)

        let fromB = rtpPacket(ssrc: 0xB, sequence: 1)
        m.phoneB.send(fromB, to: M.relayIP, port: bOffer.port)
        var atA = try #require(m.phoneA.receive()).bytes
        #expect(try SRTPUnprotector(key: relayKey).transformRTP(&atA) == .forward)
        #expect(atA == fromB)
    }
}
