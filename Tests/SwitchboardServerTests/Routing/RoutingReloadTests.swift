import Foundation
import Routing
import Testing
@testable import SwitchboardServer

@Suite("Reloading rate decks")
struct RoutingReloadTests {
    /// 2026-11-20 12:00 UTC.
    static let now = UnixTime(seconds: 1_795_176_000)

    static func firstRate(_ server: Server) throws -> Money? {
        try server.configuration.current.routing.route("+15035550199", from: .unknown, at: now, random: 0)
            .candidates.first?.rate?.perMinute
    }

    @Test("a reload with a broken deck keeps the running plan; a fixed deck is picked up by the next reload")
    func brokenDeckKeepsPlan() throws {
        let fixture = try RoutingFixture()
        defer { fixture.remove() }
        let server = try ServerTests.Fixture(String(contentsOf: fixture.configuration, encoding: .utf8))
        defer { try? FileManager.default.removeItem(at: server.directory) }
        #expect(try Self.firstRate(server.server) == Money(decimal: "0.004"))

        let deck = fixture.directory.appendingPathComponent("cheap.csv")
        try "prefix,rate,increment\n1,0.0035,60/60\n1,0.0020,60/60\n".write(to: deck, atomically: true, encoding: .utf8)
        guard case .failure(let error) = server.reload() else {
            Issue.record("reload with a duplicate deck row succeeded")
            return
        }
        #expect(error.errors.map(\.description).first?.hasPrefix("\(deck.path):3: column prefix: prefix 1 with this effective date already on line 2") == true, "\(error)")
        #expect(server.server.configuration.current.version == 1)
        #expect(try Self.firstRate(server.server) == Money(decimal: "0.004"), "the old rates still route")

        try "prefix,rate,increment\n1,0.0035,60/60\n".write(to: deck, atomically: true, encoding: .utf8)
        #expect(try server.reload().get().version == 2)
        #expect(try Self.firstRate(server.server) == Money(decimal: "0.0035"))
    }
}
