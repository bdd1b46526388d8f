import Dispatch
import Registrar
import SIPCore
import SIPTransport
import Synchronization
import Testing

@testable import CallCore

/// Several UDP receive threads hand REGISTERs to the registrar at once
/// (`udp_receive_threads` above 1): bindings are computed outside its lock and
/// applied only onto the bindings they were computed from.
@Suite("Registrar under concurrent REGISTERs") struct RegistrarConcurrencyTests {
    static let phone = SocketAddress(ip: "203.0.113.7", port: 5060)!

    @Test("RFC 3261 10.3 step 7: concurrent REGISTERs for one AOR each add their binding; none is lost")
    func noLostUpdate() throws {
        for _ in 0..<20 {
            let h = try RegistrarHarness()
            let contacts = (1...8).map { "10.0.0.\($0):5060" }
            // Each phone's own challenge first (one nonce each, nc 1), one at a time.
            let requests = try contacts.enumerated().map { i, host -> SIPMessage in
                let first = try h.register("alice", contactHost: host, cseq: 1, callID: "reg-\(i)")
                let challenge = try #require(RegistrarHarness.final(h.exchange(first, from: Self.phone)).map(RegistrarHarness.challenges)?.first)
                let authorization = RegistrarHarness.credentials(
                    user: "alice", challenge: challenge, method: "REGISTER", uri: "sip:\(RegistrarHarness.realm)")
                return try h.register("alice", contactHost: host, cseq: 2, callID: "reg-\(i)", extra: ["Authorization: \(authorization)"])
            }
            let answers = Mutex<[Int]>([])
            let service = h.service
            DispatchQueue.concurrentPerform(iterations: requests.count) { i in
                let inbound = InboundMessage(
                    message: requests[i], source: Self.phone, local: RegistrarHarness.local, transport: .udp, connection: nil)
                service.register(requests[i], inbound: inbound, reply: ResponseHandle { r in answers.withLock { $0.append(r.statusCode) } })
            }
            service.flush()
            #expect(answers.withLock { $0 } == Array(repeating: 200, count: requests.count))
            let bound = Set(service.bindings(aor: "sip:alice@\(RegistrarHarness.realm)").bindings.map(\.contactURI.description))
            #expect(bound == Set(contacts.map { "sip:alice@\($0)" }))
            #expect(try h.store.loadBindings(now: h.wall.now).count == contacts.count)
        }
    }
}
