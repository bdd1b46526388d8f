import Foundation
import Routing
import Testing
@testable import SwitchboardServer

@Suite("[[carrier]] and [routing] configuration")
struct RoutingConfigurationTests {
    @Test("carrier profiles fill what a [[carrier]] leaves out; its keys override them")
    func carrierDefaults() throws {
        let text = """
            [[carrier]]
            name = "tw"
            profile = "twilio"
            primary = "acme.pstn.twilio.com"

            [[carrier]]
            name = "vg"
            profile = "vonage"
            primary = "acme.sip-us.vonage.com"
            username = "acme"
            password = "s3cret"
            cps = 5
            failover_on = ["503", "408"]
            preference = 2
            weight = 3

            [[carrier]]
            name = "bw"
            profile = "bandwidth"
            primary = "[2001:db8::10]:5080"
            transport = "tls"
            enabled = false
            """
        let configuration = try ConfigurationLoader().decode(text, file: "conf/x.toml")
        let carriers = configuration.routing.carriers
        #expect(carriers.map(\.name) == ["tw", "vg", "bw"])

        let twilio = carriers[0].profile
        #expect(twilio.primaryHost == TerminationHost("acme.pstn.twilio.com"))
        #expect(twilio.callsPerSecond == 1)
        #expect(twilio.numberFormat == .plusE164)
        #expect(twilio.authentication == .ipAddress)
        #expect(twilio.codecs == ["PCMU", "PCMA", "telephone-event"])
        #expect(twilio.failover.outcome(status: 503) == .failover)
        #expect(twilio.failover.outcome(status: 486) == .stop)

        let vonage = carriers[1].profile
        #expect(vonage.numberFormat == .e164)
        #expect(vonage.callsPerSecond == 5)
        #expect(vonage.authentication == .digest(username: "acme", password: "s3cret", challengeStatuses: [401, 407]))
        #expect(vonage.failover.failoverStatuses == [503, 408])
        #expect(vonage.supports(.prack))
        #expect(carriers[1].weight == CarrierWeight(preference: 2, weight: 3))

        let bandwidth = carriers[2]
        #expect(bandwidth.profile.primaryHost == TerminationHost("2001:db8::10", port: 5080))
        #expect(bandwidth.profile.transport == .tls)
        #expect(!bandwidth.enabled)
        #expect(configuration.routing.plan.carriers.keys.sorted() == ["tw", "vg"], "a disabled carrier gets no calls")
    }

    @Test("[routing]: dial plans, blocks, pins and time rules decode")
    func routingRules() throws {
        let text = """
            [[carrier]]
            name = "a"
            primary = "192.0.2.1"

            [routing.default_dial_plan]
            preset = "us"
            access_prefix = "9"

            [[routing.dial_plan]]
            name = "london"
            sources = ["10.20.0.0/16"]
            preset = "uk"

            [[routing.block]]
            prefix = "+1900"

            [[routing.pin]]
            range = ["+14155550100", "+14155550199"]
            carriers = ["a"]
            exclusive = true

            [[routing.time_rule]]
            prefix = "44"
            days = ["sat", "sun"]
            start_hour = 22
            end_hour = 6
            utc_offset_minutes = -300
            block = "night"
            """
        let routing = try ConfigurationLoader().decode(text, file: "conf/x.toml").routing
        #expect(routing.defaultDialPlan.plan.accessPrefix == "9")
        #expect(routing.dialPlans.map(\.name) == ["london"])
        #expect(routing.dialPlans[0].plan.countryCode == "44")
        #expect(routing.blocked == [BlockedPrefix(prefix: "1900", reason: "blocked destination")])
        #expect(
            routing.pins.map(\.pin) == [
                RoutePin(.range(E164Number("+14155550100")!, E164Number("+14155550199")!), carriers: ["a"], exclusive: true)
            ])
        #expect(
            routing.timeRules.map(\.rule) == [
                TimeOfDayRule(
                    prefix: "44", weekdays: Weekday.weekend, startHour: 22, endHour: 6, utcOffsetMinutes: -300,
                    action: .block(reason: "night"))
            ])
    }

    @Test("the default configuration configures no carrier: routing is off (404)")
    func defaultIsOff() throws {
        let snapshot = try ConfigurationLoader().load(.embeddedDefault)
        #expect(snapshot.configuration.routing.carriers.isEmpty)
        #expect(!snapshot.routing.isEnabled)
        #expect(throws: RoutingRejection.notConfigured) {
            try snapshot.routing.route("4155550123", from: .unknown, at: UnixTime(seconds: 0), random: 0)
        }
        #expect(RoutingRejection.notConfigured.sipStatus == 404)
    }

    @Test("the commented example in conf/switchboard.toml is valid once uncommented, with the decks in conf/rates")
    func commentedExample() throws {
        let text = try String(contentsOf: repositoryRoot.appendingPathComponent("conf/switchboard.toml"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let start = lines.firstIndex(where: { $0.hasPrefix("# A complete example with the four carriers") }) else {
            Issue.record("no complete example in conf/switchboard.toml")
            return
        }
        let example = lines[(start + 1)...].prefix { $0.hasPrefix("#") }
            .map { $0.hasPrefix("#   ") ? String($0.dropFirst(4)) : "" }
            .map { $0.replacingOccurrences(of: "\"conf/rates/", with: "\"\(repositoryRoot.path)/conf/rates/") }
            .joined(separator: "\n")
        let (configuration, warnings) = try ConfigurationLoader().decodeWithWarnings(example, file: "example.toml")
        #expect(configuration.routing.carriers.map(\.name) == ["twilio", "vonage", "plivo", "bandwidth"])
        // Every carrier's inbound calls are recognised: no warning about its sources.
        #expect(!warnings.contains { $0.description.contains("inbound_sources") })
        #expect(configuration.routing.decks.allSatisfy { $0.rows > 0 })
        #expect(configuration.routing.plan.rateTable.carriers == ["twilio", "vonage", "plivo", "bandwidth"])
    }

    @Test("issue 6, inbound: a carrier named by host name and given no inbound_sources gets a warning at its key")
    func namedCarrierWithoutSources() throws {
        let warnings = try warningLines(
            """
            [[carrier]]
            name = "twilio"
            profile = "twilio"
            primary = "example.pstn.twilio.com"

            [[carrier]]
            name = "bandwidth"
            profile = "bandwidth"
            primary = "192.0.2.10"
            """)
        #expect(
            warnings.contains(
                "conf/x.toml:1: carrier[0].inbound_sources: example.pstn.twilio.com is a host name: calls from this carrier "
                    + "are not recognised as inbound (list its signalling networks in inbound_sources, or its users in inbound_users)"))
        #expect(!warnings.contains { $0.contains("192.0.2.10") })
    }

    @Test("carrier and routing mistakes are reported at their file, line and key")
    func keyErrors() {
        let text = """
            [[carrier]]
            name = "a"
            profile = "telco"
            primary = "bad host"
            colour = "red"

            [[carrier]]
            name = "b"
            primary = "192.0.2.2"
            auth = "digest"
            failover_on = ["5xx", "200"]

            [[routing.pin]]
            prefix = "44"
            carriers = ["a", "nope"]

            [[routing.time_rule]]
            days = ["mon", "funday"]
            prefer = ["ghost"]

            [[routing.block]]
            prefix = "19x0"
            """
        #expect(
            errorLines(text) == [
                #"conf/x.toml:3: carrier[0].profile: unknown carrier profile "telco" (expected twilio, vonage, plivo, bandwidth or generic)"#,
                #"conf/x.toml:4: carrier[0].primary: invalid host "bad host" (expected HOST[:PORT])"#,
                "conf/x.toml:5: carrier[0].colour: unknown key",
                #"conf/x.toml:7: carrier[1].username: required with auth = "digest""#,
                #"conf/x.toml:7: carrier[1].password: required with auth = "digest""#,
                #"conf/x.toml:11: carrier[1].failover_on[1]: expected a final status 300...699 or a class such as "5xx" (got "200")"#,
                #"conf/x.toml:15: routing.pin[0].carriers[1]: unknown carrier "nope" (expected a or b)"#,
                #"conf/x.toml:18: routing.time_rule[0].days[1]: unknown day "funday" (expected mon, tue, wed, thu, fri, sat or sun)"#,
                #"conf/x.toml:19: routing.time_rule[0].prefer[0]: unknown carrier "ghost" (expected a or b)"#,
                #"conf/x.toml:22: routing.block[0].prefix: a prefix is 1 to 15 digits, E.164 without "+" (got "19x0")"#,
            ])
    }

    @Test("a bad rate deck row is reported as DECK:LINE: column NAME, with the key that names the deck")
    func deckErrors() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let deck = directory.appendingPathComponent("bad.csv").path
        try "prefix,rate,increment\n1,0.004,60/60\n# comment\n44,cheap,60/60\n".write(
            toFile: deck, atomically: true, encoding: .utf8)
        let missing = directory.appendingPathComponent("missing.csv").path
        let text = """
            [[carrier]]
            name = "a"
            primary = "192.0.2.1"
            rate_deck = "\(deck)"

            [[carrier]]
            name = "b"
            primary = "192.0.2.2"
            rate_deck = "\(missing)"
            """
        #expect(
            errorLines(text) == [
                "\(deck):4: column rate: 'cheap' is not a decimal amount (at most 6 decimals) (rate deck of conf/x.toml:4: carrier[0].rate_deck)",
                "conf/x.toml:9: carrier[1].rate_deck: cannot read \(missing): No such file or directory",
            ])
    }
    @Test("a deck with a byte order mark and CRLF loads; one that is not UTF-8 is reported at the key naming it")
    func deckEncoding() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.csv")
        try Data("\u{FEFF}prefix,rate,increment,description\r\n1,0.004,60/60,\"USA, Canada\"\r\n\r\n44,0.01,1/1,UK\r\n".utf8)
            .write(to: good)
        // "Réunion" in ISO 8859-1: a lone 0xE9 is not UTF-8.
        let latin1 = directory.appendingPathComponent("latin1.csv")
        try Data(Array("prefix,rate,increment,description\n262,0.02,60/60,R".utf8) + [0xE9] + Array("union\n".utf8))
            .write(to: latin1)
        func carrier(_ name: String, _ deck: URL) -> String {
            "[[carrier]]\nname = \"\(name)\"\nprimary = \"192.0.2.1\"\nrate_deck = \"\(deck.path)\"\n"
        }
        #expect(
            errorLines(carrier("a", good) + "\n" + carrier("b", latin1)) == [
                "conf/x.toml:9: carrier[1].rate_deck: \(latin1.path) is not UTF-8 text"
            ])
        let configuration = try ConfigurationLoader().decode(carrier("a", good), file: "conf/x.toml")
        #expect(configuration.routing.decks.map(\.rows) == [2])
        let uk = configuration.routing.plan.rateTable.rates(for: E164Number("+442079460000")!, at: UnixTime(seconds: 0))
        #expect(uk.map(\.rate.perMinute.microUnits) == [10_000])
    }
}
