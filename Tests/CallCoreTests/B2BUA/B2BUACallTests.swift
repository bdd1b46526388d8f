import Routing
import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@testable import CallCore

@Suite("B2BUA: bridged call set-up, topology hiding, failover, CANCEL")
struct B2BUACallTests {
    typealias H = B2BUAHarness
    /// What of leg A must never show on leg B (P-Asserted-Identity passes by configuration).
    static let legAMarks = ["pbx-call-1", "192.0.2.1", "z9hG4bKpbx", "tag=a1", "Record-Route"]

    @Test("RFC 3261 12, 13, 15: A→B call with 180, 200, ACK and BYE; each leg sees only its own identifiers")
    func fullCallByeFromA() throws {
        let h = H()
        h.receive(H.invite(), from: H.pbx)
        var out = h.sender.take()
        #expect(out.first { $0.target.address == H.pbx }?.message.statusCode == 100)
        let bInvite = try #require(out.first { $0.target.address == H.carrier1 && $0.message.method == .invite }?.message)
        #expect(bInvite.requestURIText == "sip:+15551234567@127.0.0.1:5090")
        #expect(!bInvite.mentions(Self.legAMarks))
        #expect(try bInvite.vias().count == 1)
        #expect(try bInvite.contacts().first?.uri.description == "sip:127.0.0.1:5070")
        #expect(try bInvite.recordRoutes().isEmpty)
        #expect(try bInvite.cseq() == CSeq(sequence: 1, method: .invite))
        #expect(try bInvite.maxForwards() == 69)
        #expect(bInvite.bodyText == H.offer)
        #expect(try bInvite.from().displayName == "Alice")
        #expect(try bInvite.from().uri.description == "sip:1001@127.0.0.1")
        #expect(bInvite.values(named: "P-Asserted-Identity") == ["<sip:+15550001001@pbx.example>"])
        let bCallID = try bInvite.callID()
        #expect(CallIDFormat.shard(of: bCallID) == 0)

        h.receive(H.response(to: bInvite, 180, "Ringing"), from: H.carrier1)
        let ringing = try #require(h.take(to: H.pbx).first)
        #expect(ringing.statusCode == 180)
        #expect(try ringing.callID() == "pbx-call-1")
        #expect(try ringing.vias().map(\.branch) == ["z9hG4bKpbx1"])
        let aTag = try #require(try ringing.to().tag)
        #expect(try ringing.contacts().first?.uri.description == "sip:127.0.0.1:5070")
        #expect(!ringing.mentions([bCallID, "carrier-tag", "5090"]))

        h.receive(H.response(to: bInvite, 200, "OK", body: H.answer), from: H.carrier1)
        let ok = try #require(h.take(to: H.pbx).first)
        #expect(ok.statusCode == 200)
        #expect(try ok.to().tag == aTag)
        #expect(ok.bodyText == H.answer)
        #expect(!ok.mentions([bCallID, "carrier-tag", "5090"]))
        #expect(h.take(to: H.carrier1).isEmpty, "B's 2xx is ACKed only when A's ACK comes")

        h.receive(H.aRequest("ACK", cseq: 1, toTag: aTag, branch: "z9hG4bKpbxack1"), from: H.pbx)
        let ack = try #require(h.take(to: H.carrier1).first)
        #expect(ack.method == .ack)
        #expect(ack.requestURIText == "sip:carrier@127.0.0.1:5090")
        #expect(try ack.cseq() == CSeq(sequence: 1, method: .ack))
        #expect(try ack.callID() == bCallID)
        #expect(try ack.to().tag == "carrier-tag")
        #expect(!ack.mentions(Self.legAMarks))

        h.receive(H.aRequest("BYE", cseq: 2, toTag: aTag, branch: "z9hG4bKpbxbye1"), from: H.pbx)
        out = h.sender.take()
        #expect(out.first { $0.target.address == H.pbx }?.message.statusCode == 200)
        let bye = try #require(out.first { $0.target.address == H.carrier1 }?.message)
        #expect(bye.method == .bye)
        #expect(try bye.callID() == bCallID)
        #expect(try bye.cseq() == CSeq(sequence: 2, method: .bye))
        #expect(!bye.mentions(Self.legAMarks))
        h.receive(H.response(to: bye, 200, "OK"), from: H.carrier1)
        #expect(h.b2bua.activeCalls == 0)
        #expect(h.b2bua.dialogs.count == 0)
    }

    @Test("RFC 3261 15.1.2: BYE from the carrier is answered 200 and becomes a BYE to A in A's dialog")
    func byeFromB() throws {
        let h = H()
        let (bInvite, aOK) = try h.establish()
        h.receive(H.bRequest("BYE", cseq: 1, invite: bInvite, branch: "z9hG4bKcarrierbye"), from: H.carrier1)
        let out = h.sender.take()
        #expect(out.first { $0.target.address == H.carrier1 }?.message.statusCode == 200)
        let bye = try #require(out.first { $0.target.address == H.pbx }?.message)
        #expect(bye.method == .bye)
        #expect(bye.requestURIText == "sip:1001@192.0.2.1:5060")
        #expect(try bye.callID() == "pbx-call-1")
        #expect(try bye.from().tag == aOK.to().tag)
        #expect(try bye.to().tag == "a1")
        #expect(!bye.mentions([try bInvite.callID(), "carrier-tag", "5090"]))
        #expect(h.b2bua.activeCalls == 0)
    }

    @Test("RFC 3261 9.2: CANCEL from A is answered 200, B is cancelled, its 487 goes to A")
    func cancel() throws {
        let h = H()
        let invite = H.invite()
        h.receive(invite, from: H.pbx)
        let bInvite = try #require(h.take(to: H.carrier1).first)
        h.receive(H.response(to: bInvite, 180, "Ringing"), from: H.carrier1)
        _ = h.sender.take()
        var cancel = try invite.makeCancel()
        cancel.setHeader("Max-Forwards", value: "70")
        h.receive(cancel, from: H.pbx)
        let out = h.sender.take()
        #expect(out.contains { $0.target.address == H.pbx && $0.message.method == .cancel && $0.message.statusCode == 200 })
        let bCancel = try #require(out.first { $0.target.address == H.carrier1 }?.message)
        #expect(bCancel.method == .cancel)
        #expect(try bCancel.callID() == bInvite.callID())
        h.receive(H.response(to: bInvite, 487, "Request Terminated"), from: H.carrier1)
        let finals = h.take(to: H.pbx).filter { $0.method == .invite }
        #expect(finals.map(\.statusCode) == [487])
        #expect(h.b2bua.activeCalls == 0)
    }

    @Test("Serial failover: 503 from the first carrier, the second answers 200 on a new Call-ID")
    func failover503() throws {
        let h = H()
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first)
        h.receive(H.response(to: first, 503, "Service Unavailable"), from: H.carrier1)
        let out = h.sender.take()
        #expect(out.contains { $0.target.address == H.carrier1 && $0.message.method == .ack }, "the transaction ACKs the 503")
        #expect(!out.contains { $0.target.address == H.pbx && $0.message.statusCode >= 200 })
        let second = try #require(out.first { $0.target.address == H.carrier2 && $0.message.method == .invite }?.message)
        #expect(try second.callID() != first.callID())
        #expect(second.requestURIText == "sip:+15551234567@127.0.0.1:5091")
        h.receive(H.response(to: second, 200, "OK", body: H.answer), from: H.carrier2)
        #expect(h.take(to: H.pbx).map(\.statusCode) == [200])
        #expect(h.b2bua.statistics.failovers == 1)
    }

    @Test("Serial failover: 486 Busy is never failed over; A gets the 486")
    func busyNotFailedOver() throws {
        let h = H()
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first)
        h.receive(H.response(to: first, 486, "Busy Here"), from: H.carrier1)
        let out = h.sender.take()
        #expect(!out.contains { $0.target.address == H.carrier2 })
        #expect(out.filter { $0.target.address == H.pbx }.map(\.message.statusCode) == [486])
        #expect(h.b2bua.activeCalls == 0)
    }

    @Test("Serial failover: no answer (Timer B, 408) moves on to the next carrier")
    func timeoutFailover() throws {
        let h = H()
        h.receive(H.invite(), from: H.pbx)
        _ = h.sender.take()
        h.advance(64 * 500 + 1)
        let out = h.sender.take()
        #expect(out.contains { $0.target.address == H.carrier2 && $0.message.method == .invite })
        #expect(!out.contains { $0.target.address == H.pbx && $0.message.statusCode >= 200 })
    }

    @Test("Serial failover: the last candidate's failure goes to A, a 503 as 500 (RFC 3261 16.7 step 6)")
    func allCandidatesFail() throws {
        let h = H(carriers: [H.carrier1])
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first)
        h.receive(H.response(to: first, 503, "Service Unavailable"), from: H.carrier1)
        #expect(h.take(to: H.pbx).map(\.statusCode) == [500])
    }

    @Test("Failover policy: 5xx, 408 and timeouts fail over; 404, 484, 486, 603 never; configurable")
    func policy() {
        let policy = FailoverPolicy()
        #expect([500, 502, 503, 504, 408].allSatisfy(policy.failsOver))
        #expect(![404, 484, 486, 603, 403, 480].contains(where: policy.failsOver))
        let custom = FailoverPolicy(failoverStatuses: [480], neverFailoverStatuses: [])
        #expect(custom.failsOver(480) && !custom.failsOver(503))
    }

    @Test("Serial failover: the carrier that refused decides by its own policy, not the first carrier's")
    func perCarrierPolicy() throws {
        let carrier3 = SocketAddress(ip: "127.0.0.1", port: 5092)!
        // Fails over on 480 only: a carrier that answers 480 when its own capacity is gone.
        let only480 = FailoverPolicy(failoverStatuses: [480], neverFailoverStatuses: [])
        /// Carriers A, B, C with these policies; A refuses with `statusA`, B with `statusB`.
        func run(_ policies: [FailoverPolicy], _ statusA: Int, _ statusB: Int) throws -> (toC: Int, toPBX: [Int]) {
            var targets = H.carriers([H.carrier1, H.carrier2, carrier3])
            for i in targets.indices { targets[i].failover = policies[i] }
            let h = H(B2BUARequest(candidates: targets))
            h.receive(H.invite(), from: H.pbx)
            let a = try #require(h.take(to: H.carrier1).first)
            h.receive(H.response(to: a, statusA, "Refused"), from: H.carrier1)
            let b = try #require(h.take(to: H.carrier2).first { $0.method == .invite }, "A's \(statusA) fails over by A's policy")
            h.receive(H.response(to: b, statusB, "Refused"), from: H.carrier2)
            let out = h.sender.take()
            return (
                out.filter { $0.target.address == carrier3 && $0.message.method == .invite }.count,
                out.filter { $0.target.address == H.pbx && $0.message.statusCode >= 200 }.map(\.message.statusCode)
            )
        }
        // A fails over on 480 by its policy; B's default policy does not, so B's 480 goes to the caller.
        let first = try run([only480, FailoverPolicy(), FailoverPolicy()], 480, 480)
        #expect(first.toC == 0 && first.toPBX == [480])
        // A's default policy fails over on 503; B's does not, so B's 503 ends the call (as 500, RFC 3261 16.7).
        let second = try run([FailoverPolicy(), only480, FailoverPolicy()], 503, 503)
        #expect(second.toC == 0 && second.toPBX == [500])
        // And B's own policy fails it over where A's would not have.
        let third = try run([FailoverPolicy(), only480, FailoverPolicy()], 503, 480)
        #expect(third.toC == 1 && third.toPBX.isEmpty)
    }

    @Test("RFC 3262 4: reliable provisionals from B are PRACKed by the B2BUA; A gets them unreliably; 100rel not offered")
    func prackAbsorbed() throws {
        let h = H()
        h.receive(H.invite(), from: H.pbx)
        let bInvite = try #require(h.take(to: H.carrier1).first)
        #expect(try !bInvite.supported().contains("100rel"), "the carrier does not support 100rel")
        #expect(try bInvite.require().isEmpty)
        let reliable = H.response(to: bInvite, 183, "Session Progress", body: H.answer, extra: [("Require", "100rel"), ("RSeq", "1")])
        h.receive(reliable, from: H.carrier1)
        var out = h.sender.take()
        let prack = try #require(out.first { $0.target.address == H.carrier1 }?.message)
        #expect(prack.method == .prack)
        #expect(prack.values(named: "RAck") == ["1 1 INVITE"])
        #expect(try prack.callID() == bInvite.callID())
        #expect(try prack.to().tag == "carrier-tag")
        let progress = try #require(out.first { $0.target.address == H.pbx }?.message)
        #expect(progress.statusCode == 183)
        #expect(progress.bodyText == H.answer)
        #expect(progress.values(named: "RSeq").isEmpty)
        #expect(try progress.require().isEmpty)
        h.receive(H.response(to: prack, 200, "OK"), from: H.carrier1)
        // A retransmission of the reliable 183 (same RSeq) is neither PRACKed nor relayed again.
        h.receive(reliable, from: H.carrier1)
        out = h.sender.take()
        #expect(!out.contains { $0.message.method == .prack })
        #expect(!out.contains { $0.target.address == H.pbx })
    }

    @Test("RFC 3261 8.2.2.3: an INVITE requiring an extension the B2BUA does not do is answered 420 with Unsupported")
    func requireRejected() throws {
        let h = H()
        h.receive(H.invite(extra: ["Require: 100rel"]), from: H.pbx)
        let answer = try #require(h.take(to: H.pbx).first { $0.statusCode >= 200 })
        #expect(answer.statusCode == 420)
        #expect(answer.values(named: "Unsupported") == ["100rel"])
    }

    @Test("RFC 3261 13.3.1.4: the 2xx to A is retransmitted until A's ACK; no ACK in 64*T1 ends both legs")
    func twoHundredRetransmittedUntilAck() throws {
        let h = H()
        h.receive(H.invite(), from: H.pbx)
        let bInvite = try #require(h.take(to: H.carrier1).first)
        h.receive(H.response(to: bInvite, 200, "OK", body: H.answer), from: H.carrier1)
        _ = h.sender.take()
        h.advance(500)
        #expect(h.take(to: H.pbx).map(\.statusCode) == [200])
        h.advance(64 * 500)
        let out = h.sender.take()
        #expect(out.contains { $0.target.address == H.carrier1 && $0.message.method == .ack })
        #expect(out.contains { $0.target.address == H.carrier1 && $0.message.method == .bye })
        #expect(h.b2bua.activeCalls == 0)
    }
}
