import Foundation
import Testing
@testable import SwitchboardServer

@Suite("switchboard route")
struct RouteProcessTests {
    typealias Child = SwitchboardProcessTests.Child

    /// Runs `switchboard route ARGUMENTS --config FIXTURE` and returns its exit status and output lines.
    static func route(_ arguments: [String], fixture: RoutingFixture) throws -> (status: Int32?, lines: [String]) {
        let child = try Child(
            SwitchboardProcessTests.binary(), ["route"] + arguments + ["--config", fixture.configuration.path],
            in: fixture.directory)
        let status = child.waitForExit()
        _ = child.waitForLine(containing: ["\u{4}"])
        let lines = child.log.replacingOccurrences(of: "\u{4}", with: "").split(separator: "\n").map(String.init)
        return (status, lines)
    }

    @Test("candidates in cost order, with the costs of 1 and 5 minutes under 1/1 and 60/60 increments")
    func costOrder() throws {
        let fixture = try RoutingFixture()
        defer { fixture.remove() }
        let (status, lines) = try Self.route(["(503) 555-0199", "--at", "2026-11-20T12:00:00Z"], fixture: fixture)
        #expect(status == 0, "\(lines)")
        #expect(
            lines == [
                "number +15035550199 dialled=(503) 555-0199 dial_plan=default",
                "1 carrier=cheap prefix=1 rate=0.004000/min increment=60/60 connection_fee=0.000000"
                    + " cost_1min=0.004000 cost_5min=0.020000 host=acme.pstn.twilio.com secondary=acme.pstn.ashburn.twilio.com"
                    + " uri=sip:+15035550199@acme.pstn.twilio.com why=cost",
                "2 carrier=fine prefix=1 rate=0.005000/min increment=1/1 connection_fee=0.001000"
                    + " cost_1min=0.006000 cost_5min=0.026000 host=12345.zt.plivo.com:5070"
                    + " uri=sip:+15035550199@12345.zt.plivo.com:5070;transport=tcp why=cost",
            ])
    }

    @Test("a longer prefix reorders: San Francisco is cheaper per second")
    func longerPrefix() throws {
        let fixture = try RoutingFixture()
        defer { fixture.remove() }
        let (status, lines) = try Self.route(["+14155550123"], fixture: fixture)
        #expect(status == 0, "\(lines)")
        #expect(lines.dropFirst().map { $0.split(separator: " ").prefix(3).joined(separator: " ") } == [
            "1 carrier=fine prefix=1415", "2 carrier=cheap prefix=1415",
        ])
    }

    @Test("a pinned prefix goes to its carrier only, and says so")
    func pinned() throws {
        let fixture = try RoutingFixture()
        defer { fixture.remove() }
        let (status, lines) = try Self.route(["12125550100"], fixture: fixture)
        #expect(status == 0, "\(lines)")
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.last?.hasPrefix("1 carrier=cheap prefix=1 rate=0.004000/min") == true, "\(lines)")
        #expect(lines.last?.hasSuffix("why=pin routing.pin[0] (exclusive)") == true, "\(lines)")
    }

    @Test("RFC 3261 21.4.3: a blocked prefix prints the reason with 403 and exits 1")
    func blocked() throws {
        let fixture = try RoutingFixture()
        defer { fixture.remove() }
        let (status, lines) = try Self.route(["1-900-555-0100"], fixture: fixture)
        #expect(status == 1)
        #expect(
            lines == [
                "number +19005550100 dialled=1-900-555-0100 dial_plan=default",
                "rejected status=403 reason=destination blocked (prefix 1900: premium rate)",
            ])
    }

    @Test("no carrier prices the number: 404, exit 1; --from picks the caller's dial plan")
    func noRouteAndSource() throws {
        let fixture = try RoutingFixture()
        defer { fixture.remove() }
        let none = try Self.route(["+33142685300"], fixture: fixture)
        #expect(none.status == 1)
        #expect(none.lines.last == "rejected status=404 reason=no route to +33142685300")

        let london = try Self.route(["02071234567", "--from", "10.20.0.9", "--at", "2026-11-20T12:00:00Z"], fixture: fixture)
        #expect(london.status == 0, "\(london.lines)")
        #expect(london.lines.first == "number +442071234567 dialled=02071234567 dial_plan=london")
        #expect(london.lines.dropFirst().first?.hasPrefix("1 carrier=cheap prefix=44 rate=0.015000/min") == true)
    }

    @Test("an invalid configuration prints its errors like check-config and exits 1")
    func invalidConfiguration() throws {
        let fixture = try RoutingFixture(cheapDeck: "prefix,rate,increment\n1,0.004,sixty\n")
        defer { fixture.remove() }
        let (status, lines) = try Self.route(["+14155550123"], fixture: fixture)
        #expect(status == 1)
        #expect(
            lines == [
                "\(fixture.directory.path)/cheap.csv:2: column increment: 'sixty' is not an increment such as 60/60 or 1/1"
                    + " (rate deck of \(fixture.configuration.path):9: carrier[0].rate_deck)"
            ])
    }
}
