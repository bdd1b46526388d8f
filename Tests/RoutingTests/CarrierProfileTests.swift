import Testing

@testable import Routing

@Suite("Carrier profiles: CARRIERS.md defaults, all overridable") struct CarrierProfileTests {
    @Test("Twilio: pstn.twilio.com or a regional edge, +E.164, PCMU/PCMA, 1 CPS, 407 credentials, TLS 5061 when secure")
    func twilio() {
        let plain = CarrierProfile.twilio(trunk: "acme")
        #expect(plain.primaryHost.host == "acme.pstn.twilio.com" && plain.secondaryHost == nil)
        #expect(plain.authentication == .ipAddress && plain.transport == .udp && plain.callsPerSecond == 1)
        #expect(plain.allows(codec: "pcmu") && plain.allows(codec: "PCMA") && !plain.allows(codec: "G729"))
        let secure = CarrierProfile.twilio(
            trunk: "acme", edge: "ashburn", secondaryEdge: "dublin", credentials: ("u", "p"), secure: true)
        #expect(secure.primaryHost.host == "acme.pstn.ashburn.twilio.com")
        #expect(secure.secondaryHost?.host == "acme.pstn.dublin.twilio.com")
        #expect(secure.transport == .tls && secure.transport.defaultPort == 5061 && secure.requiresSRTP)
        #expect(secure.authentication.answersChallenge(407) && !secure.authentication.answersChallenge(401))
    }

    @Test("Vonage: sip-us.vonage.com, E.164 without +, G.729/G.722/iLBC, 3 CPS, digest, no REFER")
    func vonage() {
        let v = CarrierProfile.vonage(domain: "acme", username: "u", password: "p")
        #expect(v.primaryHost.host == "acme.sip-us.vonage.com" && v.numberFormat == .e164 && v.callsPerSecond == 3)
        #expect(v.allows(codec: "G729") && v.allows(codec: "G722") && v.allows(codec: "iLBC"))
        #expect(!v.supports(.refer))
        #expect(v.authentication.answersChallenge(401) && v.authentication.answersChallenge(407))
    }

    @Test("Plivo: zt.plivo.com, PCMU/PCMA only, 2 CPS, no PRACK, no INFO, 401 challenges")
    func plivo() {
        let p = CarrierProfile.plivo(trunkID: "12345", credentials: ("u", "p"))
        #expect(p.primaryHost.host == "12345.zt.plivo.com" && p.callsPerSecond == 2)
        #expect(!p.supports(.prack) && !p.supports(.info) && !p.allows(codec: "G729"))
        #expect(p.authentication.answersChallenge(401) && !p.authentication.answersChallenge(407))
    }

    @Test("Bandwidth: IP-authenticated peer with primary and secondary hosts, E.164, G.711")
    func bandwidth() {
        var b = CarrierProfile.bandwidth(primary: "192.0.2.10", secondary: "192.0.2.11")
        #expect(b.authentication == .ipAddress && b.secondaryHost == TerminationHost("192.0.2.11"))
        #expect(b.numberFormat == .plusE164 && b.allows(codec: "PCMU") && b.callsPerSecond == nil)
        b.callsPerSecond = 20
        b.channelLimit = 100
        b.primaryHost = TerminationHost("198.51.100.1", port: 5080)
        #expect(b.callsPerSecond == 20 && b.channelLimit == 100 && b.primaryHost.description == "198.51.100.1:5080")
    }

    @Test(
        "Least-cost routing rule: fail over on 5xx, 408 and timeouts, never on 404, 484, 486, 603",
        arguments: [
            (500, FailoverPolicy.Outcome.failover), (503, .failover), (502, .failover), (408, .failover),
            (404, .stop), (484, .stop), (486, .stop), (603, .stop), (403, .stop), (200, .stop),
        ])
    func failover(status: Int, outcome: FailoverPolicy.Outcome) {
        #expect(FailoverPolicy().outcome(status: status) == outcome)
    }

    @Test("Failover codes are settings: 403 can fail over, 503 can be made final, timeouts too")
    func failoverOverrides() {
        var policy = FailoverPolicy()
        policy.failoverStatuses.insert(403)
        policy.neverFailoverStatuses.insert(503)
        policy.failoverOnTimeout = false
        #expect(policy.outcome(status: 403) == .failover && policy.outcome(status: 503) == .stop)
        #expect(policy.outcomeOnTimeout == .stop && FailoverPolicy().outcomeOnTimeout == .failover)
    }
}
