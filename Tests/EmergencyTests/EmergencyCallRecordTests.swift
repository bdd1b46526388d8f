import Routing
import Foundation
import Testing

@testable import Emergency

@Suite("Emergency call records and the callback window") struct EmergencyCallRecordTests {
    static let t0 = PIDFLocationObjectTests.time

    static func record(_ id: String, attempts: [EmergencyCallRecord.Attempt] = []) -> EmergencyCallRecord {
        EmergencyCallRecord(
            callID: id, caller: EmergencyCaller(user: "alice", addressOfRecord: "sip:alice@pbx"), dialled: "911",
            classification: .emergency(number: "911"),
            resolution: LocationResolution(location: nil, source: .none, callbackNumber: nil, gaps: [.noLocation]),
            callbackNumber: nil, started: t0, attempts: attempts)
    }

    @Test("CDR: attempts with timings, SBC used and final outcome follow the attempts")
    func attempts() throws {
        let plan = try EmergencyRoutingTests.plan()
        let targets = plan.targets(for: .emergency(number: "911"))
        var r = Self.record("c1")
        #expect(r.finalOutcome == .inProgress)
        r.attempts.append(.init(target: targets[0], started: Self.t0, ended: Self.t0 + 3, outcome: .noResponse))
        #expect(r.finalOutcome == .allTargetsFailed)
        r.attempts.append(.init(target: targets[1], started: Self.t0 + 3, ended: Self.t0 + 3.25, outcome: .answered))
        #expect(r.finalOutcome == .answered)
        #expect(r.sbcUsed?.host == "e911-b.example.net")
        #expect(r.attempts.map(\.duration) == [.seconds(3), .milliseconds(250)])
        let decoded = try JSONDecoder().decode(EmergencyCallRecord.self, from: JSONEncoder().encode(r))
        #expect(decoded == r)
    }

    @Test("CDR ring keeps the newest `capacity` records, newest first")
    func ringBounds() {
        var ring = EmergencyCallRecordRing(capacity: 3)
        #expect(ring.recent.isEmpty)
        for i in 1...2 { ring.append(Self.record("c\(i)")) }
        #expect(ring.recent.map(\.callID) == ["c2", "c1"])
        for i in 3...7 { ring.append(Self.record("c\(i)")) }
        #expect(ring.count == 3)
        #expect(ring.totalRecorded == 7)
        #expect(ring.recent.map(\.callID) == ["c7", "c6", "c5"])
        ring.update(Self.record("c6", attempts: []))
        #expect(ring.count == 3)
        ring.update(Self.record("c1"))
        #expect(ring.recent.map(\.callID) == ["c1", "c7", "c6"])
        #expect(EmergencyCallRecordRing(capacity: 0).capacity == 1)
    }

    @Test("RFC 7090 1: a PSAP callback reaches the device within the window, not after")
    func callbackWindow() throws {
        var w = CallbackWindow(duration: .seconds(600))
        let n = try E164Number(validating: "+12125550101")
        w.open(for: n, target: "sip:alice@pbx", callID: "c1", at: Self.t0)
        #expect(w.target(for: try E164Number(validating: "+1 212 555 0101"), at: Self.t0 + 599) == "sip:alice@pbx")
        #expect(w.target(for: n, at: Self.t0 + 600) == nil)
        #expect(w.target(for: try E164Number(validating: "+12125550102"), at: Self.t0) == nil)
        #expect(w.expire(at: Self.t0 + 599) == 0)
        w.open(for: try E164Number(validating: "+12125550102"), target: "sip:bob@pbx", callID: "c2", at: Self.t0 + 300)
        #expect(w.expire(at: Self.t0 + 600) == 1)
        #expect(w.entries.keys.map(\.description) == ["+12125550102"])
        w.open(for: n, target: "sip:alice2@pbx", callID: "c3", at: Self.t0 + 700)
        #expect(w.target(for: n, at: Self.t0 + 1299) == "sip:alice2@pbx")
    }
}
