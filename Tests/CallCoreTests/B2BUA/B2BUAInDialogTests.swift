import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@testable import CallCore

@Suite("B2BUA: requests inside a bridged call")
struct B2BUAInDialogTests {
    typealias H = B2BUAHarness

    @Test("RFC 3261 14: a re-INVITE from A is relayed to B with B's dialog; the 2xx back; ACKs per leg")
    func reinviteFromA() throws {
        let h = H()
        let (bInvite, aOK) = try h.establish()
        let aTag = try #require(try aOK.to().tag)
        let newOffer = H.offer.replacingOccurrences(of: "1 1 IN", with: "1 2 IN")
        h.receive(H.aRequest("INVITE", cseq: 2, toTag: aTag, branch: "z9hG4bKpbxre1", body: newOffer), from: H.pbx)
        let reinvite = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        #expect(try reinvite.callID() == bInvite.callID())
        #expect(try reinvite.cseq().sequence == 2)
        #expect(reinvite.bodyText == newOffer)
        #expect(reinvite.requestURIText == "sip:carrier@127.0.0.1:5090")
        #expect(try reinvite.contacts().first?.uri.description == "sip:127.0.0.1:5070")
        #expect(!reinvite.mentions(["pbx-call-1", "192.0.2.1", "z9hG4bKpbx"]))
        h.receive(H.response(to: reinvite, 200, "OK", body: H.answer), from: H.carrier1)
        let ok = try #require(h.take(to: H.pbx).first)
        #expect(ok.statusCode == 200 && ok.method == .invite)
        #expect(try ok.cseq().sequence == 2)
        #expect(ok.bodyText == H.answer)
        h.receive(H.aRequest("ACK", cseq: 2, toTag: aTag, branch: "z9hG4bKpbxack2"), from: H.pbx)
        let ack = try #require(h.take(to: H.carrier1).first)
        #expect(ack.method == .ack)
        #expect(try ack.cseq().sequence == 2)
    }

    @Test("RFC 3261 14: a re-INVITE from B is relayed to A with A's dialog; B's ACK becomes A's")
    func reinviteFromB() throws {
        let h = H()
        let (bInvite, aOK) = try h.establish()
        h.receive(H.bRequest("INVITE", cseq: 1, invite: bInvite, branch: "z9hG4bKcre1", body: H.answer), from: H.carrier1)
        let reinvite = try #require(h.take(to: H.pbx).first { $0.method == .invite })
        #expect(try reinvite.callID() == "pbx-call-1")
        #expect(try reinvite.from().tag == aOK.to().tag)
        #expect(try reinvite.cseq().sequence == 1)
        #expect(!reinvite.mentions([try bInvite.callID(), "carrier-tag", "5090"]))
        h.receive(H.response(to: reinvite, 200, "OK", toTag: "a1", body: H.offer), from: H.pbx)
        let ok = try #require(h.take(to: H.carrier1).first)
        #expect(ok.statusCode == 200)
        #expect(try ok.callID() == bInvite.callID())
        h.receive(H.bRequest("ACK", cseq: 1, invite: bInvite, branch: "z9hG4bKcack1"), from: H.carrier1)
        let ack = try #require(h.take(to: H.pbx).first)
        #expect(ack.method == .ack)
        #expect(try ack.cseq().sequence == 1)
        #expect(try ack.callID() == "pbx-call-1")
    }

    @Test("RFC 3311: UPDATE with SDP is relayed to the other leg and its answer back")
    func update() throws {
        let h = H()
        let (bInvite, aOK) = try h.establish()
        let aTag = try #require(try aOK.to().tag)
        h.receive(H.aRequest("UPDATE", cseq: 2, toTag: aTag, branch: "z9hG4bKpbxup1", body: H.offer), from: H.pbx)
        let update = try #require(h.take(to: H.carrier1).first)
        #expect(update.method == .update)
        #expect(try update.callID() == bInvite.callID())
        #expect(update.bodyText == H.offer)
        #expect(try update.contacts().isEmpty == false)
        h.receive(H.response(to: update, 200, "OK", body: H.answer), from: H.carrier1)
        let ok = try #require(h.take(to: H.pbx).first)
        #expect(ok.statusCode == 200 && ok.method == .update)
        #expect(ok.bodyText == H.answer)
    }

    @Test("RFC 3515: REFER is refused, 501 when the carrier takes no REFER, 603 otherwise")
    func referRefused() throws {
        let h = H()
        let (_, aOK) = try h.establish()
        let aTag = try #require(try aOK.to().tag)
        h.receive(H.aRequest("REFER", cseq: 2, toTag: aTag, branch: "z9hG4bKpbxref1", extra: ["Refer-To: <sip:2000@pbx.example>"]), from: H.pbx)
        let out = h.sender.take()
        #expect(out.map(\.message.statusCode) == [501])
        #expect(!out.contains { $0.target.address == H.carrier1 })

        let supporting = H(B2BUARequest(candidates: H.carriers([H.carrier1], supportsRefer: true)))
        let (_, ok2) = try supporting.establish()
        supporting.receive(
            H.aRequest("REFER", cseq: 2, toTag: try #require(try ok2.to().tag), branch: "z9hG4bKpbxref2", extra: ["Refer-To: <sip:2000@pbx.example>"]),
            from: H.pbx)
        #expect(supporting.sender.take().map(\.message.statusCode) == [603])
    }

    @Test("RFC 3261 12.2.2: a request with a CSeq below the last one is answered 500")
    func cseqOrdering() throws {
        let h = H()
        let (_, aOK) = try h.establish()
        let aTag = try #require(try aOK.to().tag)
        h.receive(H.aRequest("INFO", cseq: 5, toTag: aTag, branch: "z9hG4bKpbxinfo5"), from: H.pbx)
        let info = try #require(h.take(to: H.carrier1).first)
        #expect(info.method == .info)
        h.receive(H.aRequest("INFO", cseq: 3, toTag: aTag, branch: "z9hG4bKpbxinfo3"), from: H.pbx)
        let out = h.sender.take()
        #expect(out.map(\.message.statusCode) == [500])
        #expect(out.allSatisfy { $0.target.address == H.pbx })
    }

    @Test("RFC 3261 12.2.2: a request for a bridged call's Call-ID that matches no dialog is answered 481")
    func unknownDialog() throws {
        let h = H()
        let (bInvite, _) = try h.establish()
        h.receive(H.aRequest("BYE", cseq: 2, toTag: "not-ours", branch: "z9hG4bKpbxbye9"), from: H.pbx)
        #expect(h.sender.take().map(\.message.statusCode) == [481])
        h.receive(H.bRequest("BYE", cseq: 1, invite: bInvite, toTag: "other-carrier-tag", branch: "z9hG4bKcbye9"), from: H.carrier1)
        #expect(h.sender.take().map(\.message.statusCode) == [481])
        let gone = H.aRequest("BYE", cseq: 1, toTag: "x", callID: "b2b-s0-00000000deadbeef", branch: "z9hG4bKpbxbye8")
        h.receive(gone, from: H.pbx)
        #expect(h.sender.take().map(\.message.statusCode) == [481])
        #expect(h.b2bua.activeCalls == 1)
    }
}
