#if canImport(Glibc)
import Glibc
#endif
import Media
import SIPCore
import SIPTransport
import Testing

@testable import CallCore

@Suite("B2BUA media anchor: offer/answer rewrite, relay, teardown, failover")
struct B2BUAMediaTests {
    typealias H = B2BUAHarness
    typealias M = MediaHarness

    @Test("RFC 3264 5, 6: c=/m= on both legs point at the relay; m-line count and order kept, port 0 kept")
    func offerAnswerRewrite() throws {
        let m = try M()
        let offer = M.sdp(
            ip: M.phoneIP, ["audio \(m.phoneA.port) RTP/AVP 0 101", "video 0 RTP/AVP 96"],
            extra: [["a=rtpmap:101 telephone-event/8000", "a=candidate:1 1 UDP 2130706431 127.0.0.2 \(m.phoneA.port) typ host"]])
        let bInvite = try m.call(offer: offer)
        let bOffer = try bInvite.sdp()
        #expect(bOffer.media.map(\.mediaType) == ["audio", "video"])
        #expect(bOffer.address() == M.relayIP)
        #expect(bOffer.connection?.address == M.relayIP)
        #expect(m.pool.range.contains(bOffer.media[0].port))
        #expect(bOffer.media[0].formats == ["0", "101"])
        #expect(bOffer.media[1].port == 0)
        #expect(!bOffer.media[0].hasAttribute(named: "candidate"), "ICE lines do not cross the relay")
        #expect(!bInvite.bodyText.contains(M.phoneIP))
        #expect(bOffer.origin.address == M.relayIP)

        let answer = M.sdp(ip: M.carrierIP, session: "7", ["audio \(m.phoneB.port) RTP/AVP 0 101", "video 0 RTP/AVP 96"])
        let ok = try m.answer(bInvite, with: answer)
        let aAnswer = try ok.sdp()
        #expect(aAnswer.media.count == 2)
        #expect(aAnswer.address() == M.relayIP)
        #expect(m.pool.range.contains(aAnswer.media[0].port))
        #expect(aAnswer.media[0].port != bOffer.media[0].port, "each leg has its own relay port")
        #expect(aAnswer.media[1].port == 0)
        #expect(!ok.bodyText.contains(M.carrierIP))
        #expect(m.pool.allocatedCount == 2)
    }

    @Test("RFC 3550, RFC 4961: RTP from the caller reaches the carrier through the relay and back, from the relay's ports")
    func rtpBothWays() throws {
        let m = try M()
        let bInvite = try m.call(offer: m.pcmuOffer)
        let ok = try m.answer(bInvite, with: M.pcmuAnswer(m.phoneB))
        let aPort = try ok.sdp().media[0].port
        let bPort = try bInvite.sdp().media[0].port

        try m.expectRelayedBothWays(aPort: aPort, bPort: bPort)
    }

    @Test("RFC 3261 13.2.1, RFC 3264 8: early media in a 183 is relayed to A; the same SDP in the 200 gives A the same answer")
    func earlyMediaThenAnswer() throws {
        let m = try M()
        let bInvite = try m.call(offer: m.pcmuOffer)
        let answer = M.pcmuAnswer(m.phoneB)
        m.sip.receive(H.response(to: bInvite, 183, "Session Progress", body: answer), from: H.carrier1)
        let progress = try #require(m.sip.take(to: H.pbx).first { $0.statusCode == 183 })
        let early = try progress.sdp()
        #expect(early.address() == M.relayIP)
        let bPort = try bInvite.sdp().media[0].port
        let tone = rtpPacket(ssrc: 0xB, sequence: 1)
        m.phoneB.send(tone, to: M.relayIP, port: bPort)
        #expect(try #require(m.phoneA.receive()).bytes == tone, "ringback reaches the caller before the answer")

        let ok = try m.answer(bInvite, with: answer)
        #expect(ok.bodyText == progress.bodyText)
        #expect(m.pool.allocatedCount == 2)
    }

    @Test("RFC 3264 6: no codec the target takes and no transcoding pair: 488 to A, no INVITE to the carrier")
    func noCodecPair() throws {
        let m = try M(MediaPolicy(allowedCodecs: ["PCMU"]))
        let offer = M.sdp(ip: M.phoneIP, ["audio \(m.phoneA.port) RTP/AVP 18"])
        m.sip.receive(H.invite(body: offer), from: H.pbx)
        let out = m.sip.sender.take()
        #expect(!out.contains { $0.message.method == .invite && $0.message.isRequest })
        #expect(out.first { $0.target.address == H.pbx && $0.message.statusCode >= 200 }?.message.statusCode == 488)
        #expect(m.pool.allocatedCount == 0)
        #expect(m.sip.b2bua.activeCalls == 0)
    }

    @Test("RFC 3264 8: a re-INVITE from A keeps the relay ports on both legs and moves A's media to its new address")
    func reinviteKeepsPorts() throws {
        let m = try M()
        let bInvite = try m.call(offer: m.pcmuOffer)
        let ok = try m.answer(bInvite, with: M.pcmuAnswer(m.phoneB))
        let aPort = try ok.sdp().media[0].port
        let bPort = try bInvite.sdp().media[0].port
        let tag = try #require(try ok.to().tag)
        m.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 1), to: M.relayIP, port: aPort)
        #expect(m.phoneB.receive() != nil)

        let moved = try MediaTestPhone(ip: M.phoneIP)
        let newOffer = M.sdp(
            ip: M.phoneIP, session: "1", ["audio \(moved.port) RTP/AVP 0 101"], extra: [["a=rtpmap:101 telephone-event/8000", "a=sendrecv"]])
        m.sip.receive(H.aRequest("INVITE", cseq: 2, toTag: tag, branch: "z9hG4bKpbxre1", body: newOffer), from: H.pbx)
        let reinvite = try #require(m.sip.take(to: H.carrier1).first { $0.method == .invite })
        let reoffer = try reinvite.sdp()
        #expect(reoffer.media[0].port == bPort)
        #expect(reoffer.address() == M.relayIP)
        #expect(reoffer.origin.sessionVersion == (try bInvite.sdp().origin.sessionVersion), "the same description keeps its o= version")

        m.sip.receive(H.response(to: reinvite, 200, "OK", body: M.pcmuAnswer(m.phoneB)), from: H.carrier1)
        let reOK = try #require(m.sip.take(to: H.pbx).first { $0.statusCode == 200 })
        #expect(try reOK.sdp().media[0].port == aPort)

        m.phoneB.send(rtpPacket(ssrc: 0xB, sequence: 1), to: M.relayIP, port: bPort)
        #expect(moved.receive() != nil, "B's media goes to A's new address")
        #expect(m.pool.allocatedCount == 2)
    }

    @Test("RFC 3261 15: BYE ends the call and its relay ports go back to the pool")
    func byeReleasesPorts() throws {
        let m = try M()
        let bInvite = try m.call(offer: m.pcmuOffer)
        let ok = try m.answer(bInvite, with: M.pcmuAnswer(m.phoneB))
        #expect(m.pool.allocatedCount == 2)
        m.sip.receive(H.aRequest("BYE", cseq: 2, toTag: try #require(try ok.to().tag), branch: "z9hG4bKpbxbye1"), from: H.pbx)
        #expect(m.sip.b2bua.activeCalls == 0)
        #expect(m.portsReleased())
    }

    @Test("RFC 3261 9.2: CANCEL before the answer releases the relay ports")
    func cancelReleasesPorts() throws {
        let m = try M()
        let invite = H.invite(body: m.pcmuOffer)
        m.sip.receive(invite, from: H.pbx)
        let bInvite = try #require(m.sip.take(to: H.carrier1).first { $0.method == .invite })
        #expect(m.pool.allocatedCount == 2)
        var cancel = try invite.makeCancel()
        cancel.setHeader("Max-Forwards", value: "70")
        m.sip.receive(cancel, from: H.pbx)
        m.sip.receive(H.response(to: bInvite, 487, "Request Terminated"), from: H.carrier1)
        #expect(m.sip.b2bua.activeCalls == 0)
        #expect(m.portsReleased())
    }

    @Test("Failover: the next carrier gets a fresh B offer (own o= session) on the same anchor; media reaches it")
    func failoverReanchors() throws {
        let m = try M(policies: [MediaPolicy(), MediaPolicy()])
        let first = try m.call(offer: m.pcmuOffer)
        m.sip.receive(H.response(to: first, 503, "Service Unavailable"), from: H.carrier1)
        let second = try #require(m.sip.take(to: H.carrier2).first { $0.method == .invite })
        let offer1 = try first.sdp()
        let offer2 = try second.sdp()
        #expect(offer2.address() == M.relayIP)
        #expect(offer2.origin.sessionID != offer1.origin.sessionID, "a new dialog, a new o= session")
        #expect(m.pool.allocatedCount == 2, "the A side keeps its ports; nothing leaks")

        let ok = try m.answer(second, with: M.pcmuAnswer(m.phoneB), from: H.carrier2)
        let aPort = try ok.sdp().media[0].port
        m.phoneA.send(rtpPacket(ssrc: 0xA, sequence: 1), to: M.relayIP, port: aPort)
        let atB = try #require(m.phoneB.receive())
        #expect(atB.sourcePort == offer2.media[0].port)
    }

    @Test("Media timeout: no RTP for the configured time ends the call with BYE on both legs")
    func mediaTimeout() throws {
        let m = try M(mediaTimeout: .milliseconds(200))
        let bInvite = try m.call(offer: m.pcmuOffer)
        _ = try m.answer(bInvite, with: M.pcmuAnswer(m.phoneB))
        var byes: [SIPMessage] = []
        for _ in 0..<500 where byes.count < 2 {
            usleep(10_000)
            m.sip.advance(10)
            byes += m.sip.sender.take().map(\.message).filter { $0.method == .bye && $0.isRequest }
        }
        #expect(byes.count == 2)
        #expect(byes.allSatisfy { $0.values(named: "Reason").first?.contains("Media Timeout") == true })
        #expect(m.sip.b2bua.activeCalls == 0)
        #expect(m.portsReleased())
    }

    @Test("relay whenNAT: a public SDP address matching the signalling source is not anchored; a private one is")
    func relayOnlyWhenNAT() throws {
        let m = try M(MediaPolicy(relay: .whenNAT))
        let direct = M.sdp(ip: "192.0.2.1", ["audio 4000 RTP/AVP 0"])
        let bInvite = try m.call(offer: direct)
        #expect(bInvite.bodyText == direct)
        #expect(m.pool.allocatedCount == 0)

        let n = try M(MediaPolicy(relay: .whenNAT))
        let natted = M.sdp(ip: "10.1.2.3", ["audio 4000 RTP/AVP 0"])
        let anchored = try n.call(offer: natted)
        #expect(try anchored.sdp().address() == M.relayIP)
        #expect(n.pool.allocatedCount == 2)
    }

    /// A late offer (RFC 3261 13.2.1): the caller's INVITE has no SDP, the
    /// carrier offers in its 200, the caller answers in its ACK.
    func lateOffer(_ m: M, carrierOffer: String) throws -> (ok: SIPMessage, bInvite: SIPMessage) {
        m.sip.receive(H.invite(body: ""), from: H.pbx)
        let bInvite = try #require(m.sip.take(to: H.carrier1).first { $0.method == .invite })
        #expect(bInvite.body.isEmpty, "no SDP is made up for the carrier")
        m.sip.receive(H.response(to: bInvite, 200, "OK", body: carrierOffer), from: H.carrier1)
        return (try #require(m.sip.take(to: H.pbx).first { $0.statusCode == 200 }), bInvite)
    }

    @Test("RFC 3261 13.2.1, RFC 3264 5: a late offer is anchored: the carrier's offer in the 200 and the caller's answer in the ACK both point at the relay; RTP flows")
    func lateOfferAnchored() throws {
        let m = try M()
        let (ok, _) = try lateOffer(m, carrierOffer: M.pcmuAnswer(m.phoneB))
        let aOffer = try ok.sdp()
        #expect(aOffer.address() == M.relayIP)
        #expect(aOffer.media[0].formats == ["0", "101"], "codecs pass as the carrier offered them")
        #expect(!ok.bodyText.contains(M.carrierIP))
        let aPort = aOffer.media[0].port
        #expect(m.pool.range.contains(aPort))

        let answer = M.sdp(ip: M.phoneIP, ["audio \(m.phoneA.port) RTP/AVP 0 101"], extra: [["a=rtpmap:101 telephone-event/8000"]])
        let tag = try #require(try ok.to().tag)
        m.sip.receive(H.aRequest("ACK", cseq: 1, toTag: tag, branch: "z9hG4bKpbxack1", body: answer), from: H.pbx)
        let ack = try #require(m.sip.take(to: H.carrier1).first { $0.method == .ack })
        let bAnswer = try ack.sdp()
        #expect(bAnswer.address() == M.relayIP)
        #expect(!ack.bodyText.contains(M.phoneIP))
        let bPort = bAnswer.media[0].port
        #expect(bPort != aPort)
        #expect(m.pool.allocatedCount == 2)

        try m.expectRelayedBothWays(aPort: aPort, bPort: bPort)

        m.sip.receive(H.aRequest("BYE", cseq: 2, toTag: tag, branch: "z9hG4bKpbxbye1"), from: H.pbx)
        #expect(m.portsReleased())
    }

    @Test("RFC 4568: a late offer with SDES keys passes unchanged (its keys are the caller's to answer), and no relay port is held")
    func lateSRTPOfferPassesThrough() throws {
        let m = try M()
        let srtp = M.sdp(
            ip: M.carrierIP, session: "7", ["audio \(m.phoneB.port) RTP/SAVP 0"],
            extra: [["a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4"]])
        let (ok, _) = try lateOffer(m, carrierOffer: srtp)
        #expect(ok.bodyText == srtp)
        #expect(m.portsReleased())
    }

    @Test("relay whenNAT: a late offer from a caller whose Contact is the address it sends from is not anchored")
    func lateOfferNotNATed() throws {
        let m = try M(MediaPolicy(relay: .whenNAT))
        let offer = M.pcmuAnswer(m.phoneB)
        let (ok, _) = try lateOffer(m, carrierOffer: offer)
        #expect(ok.bodyText == offer)
        #expect(m.pool.allocatedCount == 0)
    }
}
