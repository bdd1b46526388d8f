import CallCore
import Foundation
import Routing
import SIPCore
import Testing
@testable import SwitchboardServer

@Suite("Inbound DIDs, caller ID per carrier, customer channels")
struct InboundRoutingTests {
    /// Two carriers without decks (no file I/O): "edge" by address, "twilio" by host name and +e164.
    static let base = """
        [sip]
        domains = ["sb.test"]

        [[carrier]]
        name = "edge"
        primary = "192.0.2.10:5060"
        secondary = "192.0.2.11"
        number_format = "national"
        national_country_code = "1"
        national_trunk_prefix = "1"
        owned_numbers = ["+14155550100-+14155550199", "+1212555*"]
        default_caller_id = "+14155550100"
        identity_trusted = false

        [[carrier]]
        name = "twilio"
        profile = "twilio"
        primary = "acme.pstn.twilio.com"
        inbound_sources = ["203.0.113.0/24"]
        inbound_users = ["twilio-in"]

        [[did]]
        number = "+14155550100"
        target = "sip:alice@sb.test"

        [[did]]
        number = "+14155550100-+14155550199"
        target = "sip:pbx.example.com:5080"

        [[did]]
        number = "+1415*"
        target = "sip:reception@pbx.example.com"

        [[routing.customer]]
        name = "acme"
        sources = ["10.1.0.0/16"]
        users = ["acme-*"]
        channels = 2
        retry_after = 7

        """

    static func configuration(_ extra: String = "") throws -> Configuration {
        try ConfigurationLoader().decode(base + extra, file: "x.toml")
    }

    static func errors(_ text: String) -> [String] {
        do {
            _ = try ConfigurationLoader().decode(base + text, file: "x.toml")
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    static func invite(_ uri: String, from: String = "sip:+14155550142@pbx.test", headers: String = "") throws -> SIPMessage {
        let text =
            "INVITE \(uri) SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.10;branch=z9hG4bK1\r\nMax-Forwards: 70\r\n"
            + "From: <\(from)>;tag=1\r\nTo: <\(uri)>\r\nCall-ID: c1@x\r\nCSeq: 1 INVITE\r\n\(headers)Content-Length: 0\r\n\r\n"
        return try SIPMessage(bytes: Array(text.utf8))
    }

    static func inboundDecision(
        _ configuration: Configuration, contacts: [[ForwardTarget]]? = nil
    ) -> InboundRouteDecision {
        InboundRouteDecision(
            inbound: configuration.routing.inbound, relay: .always, localDomains: Set(configuration.sip.domains),
            locate: { _ in contacts }, fallback: RouteTable(rules: [], fallback: .reject(status: 599, reason: "fallback")))
    }

    @Test("inbound_sources default to the termination hosts given as addresses; host names give none")
    func inboundSources() throws {
        let configuration = try Self.configuration()
        #expect(configuration.routing.carriers.map(\.inboundSources) == [["192.0.2.10", "192.0.2.11"], ["203.0.113.0/24"]])
        let inbound = configuration.routing.inbound
        #expect(inbound.carrier(for: CallSource(address: "192.0.2.11"))?.name == "edge")
        #expect(inbound.carrier(for: CallSource(address: "203.0.113.77"))?.name == "twilio")
        #expect(inbound.carrier(for: CallSource(user: "twilio-in"))?.name == "twilio")
        #expect(inbound.carrier(for: CallSource(address: "192.0.2.12")) == nil)
        let hostOnly = try ConfigurationLoader().decode(
            "[[carrier]]\nname = \"t\"\nprofile = \"twilio\"\nprimary = \"acme.pstn.twilio.com\"\n", file: "x.toml")
        #expect(hostOnly.routing.carriers.first?.inboundSources == [])
    }

    @Test("bad inbound_sources, owned_numbers, default_caller_id, DIDs and customers are reported at their keys")
    func invalid() {
        let errors = Self.errors(
            """
            [[did]]
            number = "+14155550100"
            target = "mailto:x@y"

            [[did]]
            number = "+1415555019-+14155550100"
            target = "sip:pbx.example.com"

            [[carrier]]
            name = "bad"
            primary = "192.0.2.20"
            inbound_sources = ["192.0.2.0/99"]
            owned_numbers = ["0800"]
            default_caller_id = "x"

            [[routing.customer]]
            name = "nochannels"
            users = ["bob"]

            """)
        let text = errors.joined(separator: "\n")
        #expect(text.contains("did[3].target"), "\(text)")
        #expect(text.contains("duplicate DID +14155550100"), "\(text)")
        #expect(text.contains("did[4].number"), "\(text)")
        #expect(text.contains("carrier[2].inbound_sources[0]"), "\(text)")
        #expect(text.contains("carrier[2].owned_numbers[0]"), "\(text)")
        #expect(text.contains("carrier[2].default_caller_id"), "\(text)")
        #expect(text.contains("routing.customer[1].channels"), "\(text)")
    }

    @Test("the most specific DID wins: a number, then the narrower range, then the prefix")
    func didSpecificity() throws {
        let inbound = try Self.configuration().routing.inbound
        func target(_ number: String) -> String? { inbound.did(for: E164Number(number)!)?.target.description }
        #expect(target("+14155550100") == "sip:alice@sb.test")
        #expect(target("+14155550150") == "sip:pbx.example.com:5080")
        #expect(target("+14155550200") == "sip:reception@pbx.example.com")
        #expect(target("+12125550100") == nil)
    }

    @Test("a carrier's number format is undone: national with trunk prefix, +E.164, E.164")
    func numberFormats() {
        let national = NumberFormat.national(.init(countryCode: "1", trunkPrefix: "1", internationalPrefix: "011"))
        #expect(InboundPlan.number("14155550100", format: national) == E164Number("+14155550100"))
        #expect(InboundPlan.number("011442071234567", format: national) == E164Number("+442071234567"))
        #expect(InboundPlan.number("+14155550100", format: national) == E164Number("+14155550100"))
        #expect(InboundPlan.number("4155550100", format: national) == nil)
        #expect(InboundPlan.number("14155550100", format: .e164) == E164Number("+14155550100"))
        #expect(InboundPlan.number("+14155550100;npdi", format: .plusE164) == E164Number("+14155550100"))
    }

    @Test("RFC 3261 16.5: a carrier's call to a DID of a local user is bridged to its registered contacts")
    func didToRegisteredUser() throws {
        let configuration = try Self.configuration()
        let contact = ForwardTarget(uri: try SIPURI("sip:alice@198.51.100.7:5062"))
        let decision = Self.inboundDecision(configuration, contacts: [[contact]])
        let carrier = try #require(configuration.routing.inbound.carrier(for: CallSource(address: "192.0.2.10")))
        let outcome = decision.route(try Self.invite("sip:14155550100@192.0.2.1"), requestURI: try SIPURI("sip:14155550100@192.0.2.1"), carrier: carrier)
        guard case .bridge(let request) = outcome else {
            Issue.record("expected a bridge, got \(outcome)")
            return
        }
        #expect(request.candidates.map(\.target) == [contact])
        #expect(request.candidates.allSatisfy { $0.carrier == nil })
        #expect(request.accounting.callee == "+14155550100")
        #expect(request.accounting.source == "edge")
        // No registration: 480 (RFC 3261 21.4.18), not a carrier.
        let none = Self.inboundDecision(configuration, contacts: nil)
        #expect(
            none.route(try Self.invite("sip:14155550100@192.0.2.1"), requestURI: try SIPURI("sip:14155550100@192.0.2.1"), carrier: carrier)
                == .reject(status: 480, reason: "Temporarily Unavailable"))
    }

    @Test("a DID of a PBX gets the number as the PBX URI's user part; an unknown DID is 404, never a carrier")
    func didToPBXAndUnknown() throws {
        let configuration = try Self.configuration()
        let decision = Self.inboundDecision(configuration)
        let carrier = try #require(configuration.routing.inbound.carrier(for: CallSource(address: "203.0.113.5")))
        let uri = try SIPURI("sip:+14155550150@192.0.2.1")
        guard case .bridge(let request) = decision.route(try Self.invite(uri.description), requestURI: uri, carrier: carrier) else {
            Issue.record("expected a bridge")
            return
        }
        #expect(request.candidates.map(\.target.uri.description) == ["sip:+14155550150@pbx.example.com:5080"])
        let unknown = try SIPURI("sip:+12125550100@192.0.2.1")
        #expect(decision.route(try Self.invite(unknown.description), requestURI: unknown, carrier: carrier) == .reject(status: 404, reason: "Not Found"))
        // Without a source (no carrier known) the next decision answers.
        #expect(decision.route(try Self.invite(unknown.description), requestURI: unknown) == .reject(status: 599, reason: "fallback"))
    }

    /// The carrier leg a trunk call to +1 415 555 7777 gets on carrier `edge` (the only one pricing it).
    static func trunkTarget(from: String, headers: String = "") throws -> RouteOutcome {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let deck = directory.appendingPathComponent("edge.csv")
        try "prefix,rate,increment\n1,0.01,60/60\n".write(to: deck, atomically: true, encoding: .utf8)
        let text = base.replacingOccurrences(of: "identity_trusted = false", with: "identity_trusted = false\nrate_deck = \"\(deck.path)\"")
        let configuration = try ConfigurationLoader().decode(text, file: "x.toml")
        let decision = TrunkRouteDecision(
            plan: configuration.routing.plan, table: RouteTable(rules: [], fallback: .reject(status: 599, reason: "fallback")),
            localHost: "192.0.2.1", inbound: configuration.routing.inbound)
        let uri = try SIPURI("sip:+14155557777@192.0.2.1")
        return decision.route(try invite(uri.description, from: from, headers: headers), requestURI: uri)
    }

    static func header(_ target: B2BUATarget, _ name: String) -> String? {
        target.extraHeaders.first { $0.name == name }?.value
    }

    @Test("RFC 3325 9.1: an owned number passes as From and P-Asserted-Identity in the carrier's format")
    func ownedCallerID() throws {
        guard case .bridge(let request) = try Self.trunkTarget(from: "sip:+14155550142@pbx.test") else {
            Issue.record("expected a bridge")
            return
        }
        let target = try #require(request.candidates.first)
        #expect(target.fromURI == "sip:14155550142@192.0.2.1")
        #expect(Self.header(target, "P-Asserted-Identity") == "<sip:14155550142@192.0.2.1>")
        #expect(Self.header(target, "Privacy") == nil)
    }

    @Test("RFC 3325 9.1: a number the carrier does not own goes out as its default_caller_id; PAI counts over From")
    func defaultCallerID() throws {
        guard case .bridge(let request) = try Self.trunkTarget(from: "sip:+13105550000@pbx.test") else {
            Issue.record("expected a bridge")
            return
        }
        let target = try #require(request.candidates.first)
        #expect(target.fromURI == "sip:14155550100@192.0.2.1")
        #expect(Self.header(target, "P-Asserted-Identity") == "<sip:14155550100@192.0.2.1>")
        // An owned asserted identity wins over an unowned From.
        guard case .bridge(let asserted) = try Self.trunkTarget(
            from: "sip:+13105550000@pbx.test", headers: "P-Asserted-Identity: \"Sales\" <sip:+12125550123@pbx.test>\r\n")
        else {
            Issue.record("expected a bridge")
            return
        }
        #expect(asserted.candidates.first?.fromURI == "sip:12125550123@192.0.2.1")
    }

    @Test("RFC 3325 7 / RFC 3323 4.1.1.3: Privacy: id gives an anonymous From and no PAI towards an untrusted carrier")
    func privacy() throws {
        guard case .bridge(let request) = try Self.trunkTarget(from: "sip:+14155550142@pbx.test", headers: "Privacy: id\r\n") else {
            Issue.record("expected a bridge")
            return
        }
        let target = try #require(request.candidates.first)
        #expect(target.fromURI == "\"Anonymous\" <sip:anonymous@anonymous.invalid>")
        #expect(Self.header(target, "P-Asserted-Identity") == nil)
        #expect(target.identity == .strip)
        // A trusted carrier keeps the asserted identity, marked Privacy: id.
        let policy = try InboundPlan(
            carriers: Self.configuration().routing.carriers.map { var c = $0; c.identityTrusted = true; return c }, dids: [], customers: [])
        let shown = try #require(try policy.callerIdentity(toward: "edge", presenting: E164Number("+14155550142"), privacy: PrivacyRequest(id: true)))
        #expect(shown.sendsAssertedIdentity && shown.anonymousFrom && shown.privacyHeader == "id")
    }

    @Test("a carrier without owned_numbers passes the caller as it came")
    func unrestricted() throws {
        let inbound = try Self.configuration().routing.inbound
        #expect(try inbound.callerIdentity(toward: "twilio", presenting: E164Number("+13105550000"), privacy: .none) == nil)
    }

    @Test("customers are found by source network or user prefix")
    func customerMatch() throws {
        let inbound = try Self.configuration().routing.inbound
        #expect(inbound.customer(for: CallSource(address: "10.1.200.3"))?.name == "acme")
        #expect(inbound.customer(for: CallSource(user: "acme-pbx2"))?.name == "acme")
        #expect(inbound.customer(for: CallSource(address: "10.2.0.1", user: "bob")) == nil)
    }

    @Test("RFC 3261 21.5.4: over the customer's channels a call is refused with Retry-After; emergency calls are exempt")
    func customerChannels() throws {
        let channels = CustomerChannels(logger: .init(label: "test"))
        channels.configure(try Self.configuration().routing.customers)
        let call = CallAccounting(callClass: .trunk, customer: "acme")
        #expect(channels.admit(call) == .admit)
        #expect(channels.admit(call) == .admit)
        #expect(channels.admit(call) == .refuse(retryAfter: 7))
        #expect(channels.admit(CallAccounting(callClass: .emergency, customer: "acme")) == .admit)
        #expect(channels.inUse("acme") == 2)
        channels.release(call)
        #expect(channels.admit(call) == .admit)
        // A reload keeps the calls in progress; a removed customer is no longer limited.
        channels.configure([CustomerSettings(name: "acme", sources: ["10.1.0.0/16"], channels: 3)])
        #expect(channels.inUse("acme") == 2)
        #expect(channels.admit(call) == .admit)
        #expect(channels.admit(call) == .refuse(retryAfter: 5))
        channels.configure([])
        #expect(channels.admit(call) == .admit)
        #expect(channels.admit(CallAccounting(callClass: .trunk, customer: nil)) == .admit)
    }
}
