import Testing

@testable import Routing

@Suite("Least-cost routing: order, weights, pins, blocks, time of day") struct LeastCostRouterTests {
    static func rate(_ micro: Int64, fee: Int64 = 0) -> Rate {
        Rate(perMinute: Money(microUnits: micro), connectionFee: Money(microUnits: fee))
    }
    static let number = E164Number(digits: "14155550123")!
    /// Monday 2026-06-15 12:00 UTC.
    static let mondayNoon = UnixTime(seconds: CalendarDate(year: 2026, month: 6, day: 15)!.daysSinceEpoch * 86_400 + 43_200)

    static func router(_ rates: [(String, Int64)], policy: RoutingPolicy = RoutingPolicy()) throws -> LeastCostRouter {
        let decks = rates.map { RateDeck(carrier: $0.0, entries: [.init(prefix: "1", rate: rate($0.1))]) }
        return LeastCostRouter(table: try RateTable(decks: decks), policy: policy)
    }

    @Test("Least-cost routing rule: cheapest first, failover order by cost")
    func cheapestFirst() throws {
        let router = try Self.router([("twilio", 4500), ("vonage", 3000), ("plivo", 5000), ("bandwidth", 4000)])
        let order = try router.route(Self.number, at: Self.mondayNoon, random: 1)
        #expect(order.map(\.carrier) == ["vonage", "bandwidth", "twilio", "plivo"])
        #expect(order.allSatisfy { $0.selection == .cost })
    }

    @Test("Equal price: the connection fee, then the coarser increment, break the tie")
    func costTieBreaks() throws {
        let decks = [
            RateDeck(carrier: "a", entries: [.init(prefix: "1", rate: Self.rate(4000, fee: 100))]),
            RateDeck(carrier: "b", entries: [.init(prefix: "1", rate: Rate(perMinute: Money(microUnits: 4000), increment: .perMinute))]),
            RateDeck(carrier: "c", entries: [.init(prefix: "1", rate: Rate(perMinute: Money(microUnits: 4000), increment: .perSecond))]),
        ]
        let router = LeastCostRouter(table: try RateTable(decks: decks))
        #expect(try router.route(Self.number, at: Self.mondayNoon, random: 0).map(\.carrier) == ["c", "b", "a"])
    }

    @Test("Operator rule: equal cost goes by preference, then by weight, deterministic per random value")
    func weights() throws {
        let policy = RoutingPolicy(weights: [
            "a": CarrierWeight(weight: 3), "b": CarrierWeight(weight: 1), "c": CarrierWeight(preference: -1),
            "d": CarrierWeight(weight: 0),
        ])
        let router = try Self.router([("a", 4000), ("b", 4000), ("c", 4000), ("d", 4000), ("e", 3000)], policy: policy)
        var firstA = 0
        for seed in UInt64(0)..<4000 {
            let order = try router.route(Self.number, at: Self.mondayNoon, random: seed).map(\.carrier)
            #expect(order[0] == "e" && order[1] == "c" && order[4] == "d")
            #expect(Set(order[2...3]) == ["a", "b"])
            #expect(order == (try router.route(Self.number, at: Self.mondayNoon, random: seed).map(\.carrier)))
            if order[2] == "a" { firstA += 1 }
        }
        // Weight 3 against 1: "a" leads about 3000 times in 4000; the bounds are far outside chance.
        #expect(firstA > 2700 && firstA < 3300)
    }

    @Test("Operator rule: a pinned DID range goes to Bandwidth first, an exclusive pin only there")
    func pins() throws {
        let low = E164Number(digits: "14155550100")!
        let high = E164Number(digits: "14155550199")!
        let policy = RoutingPolicy(pins: [
            RoutePin(.range(low, high), carriers: ["bandwidth"]),
            RoutePin(.prefix("1212"), carriers: ["plivo", "ghost"], exclusive: true),
        ])
        let router = try Self.router([("twilio", 4500), ("vonage", 3000), ("bandwidth", 9000)], policy: policy)
        let pinned = try router.route(Self.number, at: Self.mondayNoon, random: 0)
        #expect(pinned.map(\.carrier) == ["bandwidth", "vonage", "twilio"])
        #expect(pinned[0].selection == .pinned && pinned[0].rate == Self.rate(9000))
        let outside = try router.route(E164Number(digits: "14155550200")!, at: Self.mondayNoon, random: 0)
        #expect(outside.map(\.carrier) == ["vonage", "twilio", "bandwidth"])
        let exclusive = try router.route(E164Number(digits: "12125550123")!, at: Self.mondayNoon, random: 0)
        #expect(exclusive.map(\.carrier) == ["plivo", "ghost"] && exclusive.allSatisfy { $0.rate == nil })
    }

    @Test("Operator rule: premium and fraud prefixes are a typed 403 rejection; no rate is a 404")
    func blocked() throws {
        let policy = RoutingPolicy(blocked: [
            BlockedPrefix(prefix: "1900", reason: "premium rate"), BlockedPrefix(prefix: "1", reason: "all NANP"),
        ])
        let router = try Self.router([("twilio", 4500)], policy: policy)
        #expect(throws: RouteRejection.blocked(prefix: "1900", reason: "premium rate")) {
            try router.route(E164Number(digits: "19005550123")!, at: Self.mondayNoon, random: 0)
        }
        #expect(RouteRejection.blocked(prefix: "1900", reason: "x").sipStatus == 403)
        let open = try Self.router([("twilio", 4500)])
        let france = E164Number(digits: "33123456789")!
        #expect(throws: RouteRejection.noRoute(france)) { try open.route(france, at: Self.mondayNoon, random: 0) }
        #expect(RouteRejection.noRoute(france).sipStatus == 404)
    }

    @Test("Operator rule: time-of-day preference and block, in the rule's UTC offset, across midnight")
    func timeOfDay() throws {
        let policy = RoutingPolicy(timeOfDay: [
            // Business hours in UTC-5, weekdays: prefer plivo.
            TimeOfDayRule(weekdays: Weekday.workdays, startHour: 9, endHour: 17, utcOffsetMinutes: -300, action: .prefer(["plivo"])),
            // Nights in UTC+1: no calls to +1900... here to +1415 from 22:00 to 06:00.
            TimeOfDayRule(prefix: "1415", startHour: 22, endHour: 6, utcOffsetMinutes: 60, action: .block(reason: "night")),
        ])
        let router = try Self.router([("twilio", 4500), ("vonage", 3000), ("plivo", 5000)], policy: policy)
        // 12:00 UTC Monday = 07:00 UTC-5: before business hours, cost order.
        #expect(try router.route(Self.number, at: Self.mondayNoon, random: 0).map(\.carrier) == ["vonage", "twilio", "plivo"])
        // 15:00 UTC = 10:00 UTC-5: plivo first.
        let ten = UnixTime(seconds: Self.mondayNoon.seconds + 3 * 3600)
        let preferred = try router.route(Self.number, at: ten, random: 0)
        #expect(preferred.map(\.carrier) == ["plivo", "vonage", "twilio"] && preferred[0].selection == .timeOfDay)
        // Saturday 15:00 UTC: not a workday.
        let saturday = UnixTime(seconds: ten.seconds + 5 * 86_400)
        #expect(saturday.weekday(utcOffsetMinutes: -300) == .saturday)
        #expect(try router.route(Self.number, at: saturday, random: 0).map(\.carrier) == ["vonage", "twilio", "plivo"])
        // 22:30 UTC = 23:30 UTC+1 and 04:00 UTC = 05:00 UTC+1: blocked; 05:00 UTC = 06:00: open.
        for (offset, isBlocked) in [(10 * 3600 + 1800, true), (16 * 3600, true), (17 * 3600, false)] {
            let t = UnixTime(seconds: Self.mondayNoon.seconds + Int64(offset))
            if isBlocked {
                #expect(throws: RouteRejection.blockedAtThisTime(reason: "night")) { try router.route(Self.number, at: t, random: 0) }
            } else {
                #expect(throws: Never.self) { try router.route(Self.number, at: t, random: 0) }
            }
        }
        #expect(throws: Never.self) {
            try router.route(E164Number(digits: "12125550123")!, at: UnixTime(seconds: Self.mondayNoon.seconds + 10 * 3600 + 1800), random: 0)
        }
    }

    @Test("1970-01-01 was a Thursday; local time follows the offset")
    func calendar() {
        #expect(UnixTime(seconds: 0).weekday() == .thursday)
        #expect(UnixTime(seconds: 0).weekday(utcOffsetMinutes: -60) == .wednesday)
        #expect(UnixTime(seconds: 0).secondOfDay(utcOffsetMinutes: -60) == 23 * 3600)
        #expect(Self.mondayNoon.weekday() == .monday)
    }
}
