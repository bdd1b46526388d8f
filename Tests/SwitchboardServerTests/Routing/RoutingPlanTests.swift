import CallCore
import Foundation
import Routing
import SIPCore
import Testing
@testable import SwitchboardServer

@Suite("The snapshot's routing plan")
struct RoutingPlanTests {
    /// 2026-11-20 (a Friday) 12:00 UTC.
    static let friday = UnixTime(seconds: 1_795_176_000)

    static func plan(extra: String = "") throws -> (RoutingFixture, ConfigurationSnapshot) {
        let fixture = try RoutingFixture(extra: extra)
        return (fixture, try ConfigurationLoader().load(.file(fixture.configuration.path)))
    }

    @Test("the rate table is compiled once at load and is the one routing uses")
    func snapshotRateTable() throws {
        let (fixture, snapshot) = try Self.plan()
        defer { fixture.remove() }
        let table = snapshot.routing.rateTable
        #expect(table.carriers == ["cheap", "fine"])
        let number = try #require(E164Number("+14155550123"))
        #expect(
            table.rates(for: number, at: Self.friday).map { "\($0.carrier) \($0.prefix) \($0.rate.perMinute)" } == [
                "cheap 1415 0.006000", "fine 1415 0.003000",
            ])
        #expect(snapshot.configuration.routing.decks.map(\.rows) == [4, 3])

        let decision = try snapshot.routing.route("415 555 0123", from: .unknown, at: Self.friday, random: 0)
        #expect(decision.number == number)
        #expect(decision.dialPlan == "default")
        #expect(decision.candidates.map(\.carrier.name) == ["fine", "cheap"])
        #expect(decision.candidates.map(\.rate?.perMinute) == [Money(decimal: "0.003"), Money(decimal: "0.006")])
        #expect(decision.candidates.map(\.reason) == [.cost, .cost])
    }

    @Test("RFC 3261 19.1.1: candidates carry Request-URIs in the carrier's number format, primary then secondary host")
    func requestURIs() throws {
        let (fixture, snapshot) = try Self.plan()
        defer { fixture.remove() }
        let decision = try snapshot.routing.route("+1 (415) 555-0123", from: .unknown, at: Self.friday, random: 0)
        #expect(
            decision.candidates.map { $0.requestURIs.map(\.description) } == [
                ["sip:+14155550123@12345.zt.plivo.com:5070;transport=tcp"],
                ["sip:+14155550123@acme.pstn.twilio.com", "sip:+14155550123@acme.pstn.ashburn.twilio.com"],
            ])
    }

    @Test("each carrier's legs carry the failover policy of its own [[carrier]], whatever its place in the order")
    func perCarrierFailover() throws {
        let fixture = try RoutingFixture()
        defer { fixture.remove() }
        let text = try String(contentsOf: fixture.configuration, encoding: .utf8).replacingOccurrences(
            of: "transport = \"tcp\"", with: "transport = \"tcp\"\nfailover_on = [\"480\"]\nnever_failover_on = []")
        let configuration = try ConfigurationLoader().decode(text, file: "x.toml")
        let decision = TrunkRouteDecision(
            plan: configuration.routing.plan, table: RouteTable(rules: [], fallback: .reject(status: 599, reason: "fallback")),
            localHost: "192.0.2.1", inbound: configuration.routing.inbound)
        let uri = try SIPURI("sip:+14155550123@192.0.2.1")
        guard case .bridge(let request) = decision.route(try InboundRoutingTests.invite(uri.description), requestURI: uri) else {
            Issue.record("expected a bridge")
            return
        }
        // "fine" is cheapest for 1415 and fails over on 480 only; "cheap" (two hosts) keeps the default 5xx/408.
        #expect(request.candidates.map(\.carrier?.name) == ["fine", "cheap", "cheap"])
        #expect(request.candidates.map { $0.failover?.failsOver(480) } == [true, false, false])
        #expect(request.candidates.map { $0.failover?.failsOver(503) } == [false, true, true])
    }

    @Test("a source's dial plan is chosen by address or by From user; others get the default")
    func dialPlanBySource() throws {
        let (fixture, snapshot) = try Self.plan()
        defer { fixture.remove() }
        let plan = snapshot.routing
        let london = try plan.normalize("02071234567", from: CallSource(address: "10.20.3.4"))
        #expect(london.0 == E164Number("+442071234567"))
        #expect(london.dialPlan == "london")
        #expect(try plan.normalize("02071234567", from: CallSource(user: "+442079460000")).dialPlan == "london")
        #expect(throws: RoutingRejection.self) { try plan.normalize("02071234567", from: CallSource(address: "10.21.0.1")) }
        #expect(try plan.normalize("4155550123", from: CallSource(address: "10.21.0.1")).dialPlan == "default")
        do {
            _ = try plan.normalize("911", from: .unknown)
            Issue.record("911 was routed by rate")
        } catch {
            #expect(error == .serviceCode("911", dialPlan: "default"))
        }
    }

    @Test("RFC 3261 21.4.3: a blocked prefix is refused with 403; an unpriced number with 404; a short one with 484")
    func rejections() throws {
        let (fixture, snapshot) = try Self.plan()
        defer { fixture.remove() }
        let plan = snapshot.routing
        func status(_ number: String) -> Int? {
            do {
                _ = try plan.route(number, from: .unknown, at: Self.friday, random: 0)
                return nil
            } catch {
                return error.sipStatus
            }
        }
        #expect(status("19005550100") == 403)
        #expect(status("+33142685300") == 404)
        #expect(status("555012") == 484)
    }

    @Test("pins and time rules say why a carrier is where it is")
    func reasons() throws {
        let (fixture, snapshot) = try Self.plan(
            extra: """
                [[routing.time_rule]]
                prefix = "44"
                days = ["fri"]
                start_hour = 9
                end_hour = 17
                prefer = ["cheap"]
                """)
        defer { fixture.remove() }
        let plan = snapshot.routing
        let pinned = try plan.route("2125550100", from: .unknown, at: Self.friday, random: 0)
        #expect(pinned.candidates.map(\.carrier.name) == ["cheap"], "exclusive pin: fine's cheaper rate is not tried")
        #expect(pinned.candidates.map(\.reason) == [.pin("routing.pin[0]", exclusive: true)])

        let ruled = try plan.route("+442071234567", from: .unknown, at: Self.friday, random: 0)
        #expect(ruled.candidates.map(\.reason) == [.timeRule("routing.time_rule[0]")])
    }

    @Test("carriers of equal cost go by preference, then by weight; weight 0 last")
    func equalCost() throws {
        let fixture = try RoutingFixture()
        defer { fixture.remove() }
        let deck = fixture.directory.appendingPathComponent("cheap.csv").path
        let extra = """
            [[carrier]]
            name = "twin"
            primary = "192.0.2.7"
            rate_deck = "\(deck)"
            weight = 0

            [[carrier]]
            name = "backup"
            primary = "192.0.2.8"
            rate_deck = "\(deck)"
            preference = 1
            """
        try RoutingFixture.text(deckDirectory: fixture.directory.path, extra: extra)
            .write(to: fixture.configuration, atomically: true, encoding: .utf8)
        let plan = try ConfigurationLoader().load(.file(fixture.configuration.path)).routing
        for random in [0, 1, 2, 3] as [UInt64] {
            let decision = try plan.route("5035550199", from: .unknown, at: Self.friday, random: random)
            #expect(decision.candidates.map(\.carrier.name) == ["cheap", "twin", "backup", "fine"])
            #expect(decision.candidates.map(\.reason) == [.weight(1), .weight(0), .preference(1), .cost])
        }
    }

    @Test("a pinned carrier whose deck does not price the number is still tried, and shown without a rate")
    func pinWithoutRate() throws {
        let (fixture, snapshot) = try Self.plan(
            extra: """
                [[routing.pin]]
                prefix = "33"
                carriers = ["fine"]
                """)
        defer { fixture.remove() }
        let decision = try snapshot.routing.route("+33142685300", from: .unknown, at: Self.friday, random: 0)
        #expect(decision.candidates.map(\.carrier.name) == ["fine"])
        #expect(decision.candidates.first?.rate == nil)
        #expect(
            RouteReport.candidateLines(decision) == [
                "1 carrier=fine prefix=- rate=- increment=- connection_fee=- cost_1min=- cost_5min=- host=12345.zt.plivo.com:5070"
                    + " uri=sip:+33142685300@12345.zt.plivo.com:5070;transport=tcp why=pin routing.pin[1]"
            ])
    }

    @Test("the 2030 row of the deck takes over on its effective date")
    func effectiveDates() throws {
        let (fixture, snapshot) = try Self.plan()
        defer { fixture.remove() }
        let before = try snapshot.routing.route("+442071234567", from: .unknown, at: Self.friday, random: 0)
        let after = try snapshot.routing.route(
            "+442071234567", from: .unknown, at: UnixTime(seconds: 1_893_456_000), random: 0)  // 2030-01-01
        #expect(before.candidates.first?.rate?.perMinute == Money(decimal: "0.015"))
        #expect(after.candidates.first?.rate?.perMinute == Money(decimal: "0.01"))
    }
}
