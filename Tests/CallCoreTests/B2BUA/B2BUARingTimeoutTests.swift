import Routing
import SIPCore
import SIPTransaction
import SIPTransport
import Testing

@testable import CallCore

@Suite("B2BUA: ring, no-answer and no-provisional timeouts on the carrier leg")
struct B2BUARingTimeoutTests {
    typealias H = B2BUAHarness

    static func harness(
        noAnswer: Duration? = nil, provisional: Duration? = nil, failover: FailoverPolicy = FailoverPolicy(), ringTimeout: Duration = .seconds(180)
    ) -> H {
        var targets = H.carriers([H.carrier1, H.carrier2])
        targets[0].noAnswerTimeout = noAnswer
        targets[0].provisionalTimeout = provisional
        return H(B2BUARequest(candidates: targets, failover: failover, ringTimeout: ringTimeout))
    }

    @Test("RFC 3261 16.6 step 11, 16.7 step 2, 16.8: Timer C (180 s) restarts on each 101-199; when it fires B is cancelled and, as a 408, failed over")
    func timerC() throws {
        let h = Self.harness()
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 180, "Ringing"), from: H.carrier1)
        h.advance(100_000)
        h.receive(H.response(to: first, 183, "Session Progress"), from: H.carrier1)
        h.advance(100_000)
        var out = h.sender.take()
        #expect(!out.contains { $0.message.method == .cancel }, "Timer C was restarted by the 183")
        #expect(!out.contains { $0.target.address == H.carrier2 })
        h.advance(80_001)
        out = h.sender.take()
        let cancel = try #require(out.first { $0.target.address == H.carrier1 && $0.message.method == .cancel }?.message)
        #expect(try cancel.topVia().branch == first.topVia().branch)
        #expect(out.contains { $0.target.address == H.carrier2 && $0.message.method == .invite })
        #expect(!out.contains { $0.target.address == H.pbx && $0.message.statusCode >= 200 })
        #expect(h.b2bua.statistics.ringTimeouts == 1)
    }

    @Test("Per-target no-answer timeout: a carrier ringing 20 s is cancelled and the next one tried; its late 2xx is ACKed and ended with BYE")
    func noAnswerFailover() throws {
        let h = Self.harness(noAnswer: .seconds(20))
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 180, "Ringing"), from: H.carrier1)
        h.advance(19_999)
        #expect(!h.sender.take().contains { $0.message.method == .cancel })
        h.advance(2)
        var out = h.sender.take()
        #expect(out.contains { $0.target.address == H.carrier1 && $0.message.method == .cancel })
        let second = try #require(out.first { $0.target.address == H.carrier2 && $0.message.method == .invite }?.message)
        #expect(try second.callID() != first.callID())
        // The 200 crossed the CANCEL: the abandoned leg is ACKed and hung up.
        h.receive(H.response(to: first, 200, "OK", body: H.answer), from: H.carrier1)
        out = h.sender.take()
        #expect(out.filter { $0.target.address == H.carrier1 }.map(\.message.method) == [.ack, .bye])
        #expect(!out.contains { $0.target.address == H.pbx && $0.message.statusCode == 200 })
        h.receive(H.response(to: second, 200, "OK", body: H.answer), from: H.carrier2)
        #expect(h.take(to: H.pbx).map(\.statusCode) == [200])
    }

    @Test("Per-target no-answer timeout without failover (FailoverPolicy.noAnswer false): A gets 480, B is cancelled, the call ends on B's 487")
    func noAnswerRelayed() throws {
        let h = Self.harness(noAnswer: .seconds(20), failover: FailoverPolicy(noAnswer: false))
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 180, "Ringing"), from: H.carrier1)
        _ = h.sender.take()
        h.advance(20_001)
        let out = h.sender.take()
        #expect(out.contains { $0.target.address == H.carrier1 && $0.message.method == .cancel })
        #expect(!out.contains { $0.target.address == H.carrier2 })
        #expect(out.filter { $0.target.address == H.pbx }.map(\.message.statusCode) == [480])
        h.receive(H.response(to: first, 487, "Request Terminated"), from: H.carrier1)
        #expect(h.take(to: H.pbx).isEmpty)
        #expect(h.b2bua.activeCalls == 0)
    }

    @Test("RFC 3261 9.1: no provisional within the target's limit: the carrier is taken for dead and the next one tried; the CANCEL waits for a provisional")
    func noProvisional() throws {
        let h = Self.harness(provisional: .seconds(5))
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.advance(5_001)
        let out = h.sender.take()
        #expect(!out.contains { $0.message.method == .cancel }, "no CANCEL before a provisional response")
        #expect(out.contains { $0.target.address == H.carrier2 && $0.message.method == .invite })
        h.receive(H.response(to: first, 180, "Ringing"), from: H.carrier1)
        let late = h.sender.take()
        #expect(late.contains { $0.target.address == H.carrier1 && $0.message.method == .cancel })
        #expect(!late.contains { $0.target.address == H.pbx }, "the abandoned carrier's 180 is not relayed")
    }

    @Test("A 100 Trying within the limit shows the carrier alive: no failover at the provisional limit")
    func tryingKeepsCarrier() throws {
        let h = Self.harness(provisional: .seconds(5))
        h.receive(H.invite(), from: H.pbx)
        let first = try #require(h.take(to: H.carrier1).first { $0.method == .invite })
        h.receive(H.response(to: first, 100, "Trying"), from: H.carrier1)
        h.advance(10_000)
        #expect(!h.sender.take().contains { $0.target.address == H.carrier2 })
    }
}
