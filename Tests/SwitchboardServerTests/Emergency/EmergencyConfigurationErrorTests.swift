import Testing
@testable import SwitchboardServer

@Suite("[emergency] errors")
struct EmergencyConfigurationErrorTests {
    @Test("unknown location ids, bad CIDRs, bad E.164 numbers and bad SBC hosts name file, line and key")
    func locatedErrors() {
        let lines = errorLines(
            """
            [emergency]
            default_location = "nowhere"
            fallback_callback_number = "+44 20 7946 0000"
            last_resort = "sip:nine-one-one@carrier.example.net"

            [emergency.primary]
            host = "bad host!"

            [[emergency.location]]
            id = "hq"
            country = "USA"
            callback_number = "512-555-0100"

            [[emergency.assign]]
            network = "10.0.0.300/8"
            location = "hq"

            [[emergency.assign]]
            network = "10.1.3.5/24"
            location = "hq"

            [[emergency.assign]]
            user = "bob"
            location = "hq-4"

            [[emergency.assign]]
            mac = "00:1a:2b"
            location = "hq"
            """)
        #expect(
            lines == [
                "conf/x.toml:2: emergency.default_location: no [[emergency.location]] has id \"nowhere\"",
                "conf/x.toml:3: emergency.fallback_callback_number: callback number is not a NANP number (+1NXXNXXXXXX): +442079460000",
                "conf/x.toml:4: emergency.last_resort: the user part must be the number to dial (\"911\" or a PSAP's +E.164 number), got \"nine-one-one\"",
                "conf/x.toml:7: emergency.primary.host: not a host name or IP address: \"bad host!\"",
                "conf/x.toml:11: emergency.location[0].country: expected an ISO 3166-1 alpha-2 code such as \"US\", got \"USA\"",
                "conf/x.toml:12: emergency.location[0].callback_number: not an E.164 number: 512-555-0100 (expected +1NXXNXXXXXX)",
                "conf/x.toml:15: emergency.assign[0].network: not a network (address/length): 10.0.0.300/8",
                "conf/x.toml:19: emergency.assign[1].network: 10.1.3.5/24 has host bits set (did you mean 10.1.3.0/24?)",
                "conf/x.toml:24: emergency.assign[2].location: no [[emergency.location]] has id \"hq-4\"",
                "conf/x.toml:27: emergency.assign[3].mac: not a MAC address: 00:1a:2b",
            ])
    }

    @Test("webhooks must be http URLs, front desks sip URIs; unknown keys get a suggestion")
    func notificationsAndUnknownKeys() {
        let lines = errorLines(
            """
            [emergency]
            notify_sip = ["mailto:desk@example.com"]
            notify_webhooks = ["https://hooks.example.com/x", "http://user@host/x", "http://hooks.example.com:99999/"]
            pidflo = true
            [emergency.secondary]
            host = "192.0.2.2"
            transport = "sctp"
            """)
        #expect(
            lines == [
                "conf/x.toml:2: emergency.notify_sip[0]: not a sip: or sips: URI: \"mailto:desk@example.com\"",
                "conf/x.toml:3: emergency.notify_webhooks[0]: https:// webhooks are not supported, use http:// (e.g. a local relay): \"https://hooks.example.com/x\"",
                "conf/x.toml:3: emergency.notify_webhooks[1]: user information is not allowed in a webhook URL: \"http://user@host/x\"",
                "conf/x.toml:3: emergency.notify_webhooks[2]: invalid port \"99999\" in \"http://hooks.example.com:99999/\"",
                "conf/x.toml:4: emergency.pidflo: unknown key (did you mean \"pidf_lo\"?)",
                "conf/x.toml:5: emergency.secondary: a secondary SBC needs [emergency.primary]",
                "conf/x.toml:7: emergency.secondary.transport: unknown transport \"sctp\" (expected udp, tcp or tls)",
            ])
    }

    @Test("an assignment names exactly one subject; a subject is assigned once; ids are unique")
    func assignmentShape() {
        let lines = errorLines(
            """
            [[emergency.location]]
            id = "hq"
            [[emergency.location]]
            id = "hq"
            [[emergency.assign]]
            user = "alice"
            network = "10.0.0.0/8"
            location = "hq"
            [[emergency.assign]]
            location = "hq"
            [[emergency.assign]]
            user = "carol"
            location = "hq"
            [[emergency.assign]]
            user = "carol"
            location = "hq"
            """)
        #expect(
            lines == [
                "conf/x.toml:4: emergency.location[1].id: duplicate location id \"hq\" (first at emergency.location[0])",
                "conf/x.toml:7: emergency.assign[0].network: give exactly one of user, instance, mac, user_agent or network",
                "conf/x.toml:10: emergency.assign[1].location: give exactly one of user, instance, mac, user_agent or network",
                "conf/x.toml:15: emergency.assign[3].user: duplicate assignment of user carol (first at emergency.assign[2].user)",
            ])
    }

    @Test("the source must be a [sip] listen address of the SBCs' transport, also after --listen")
    func sourceIsAListenAddress() {
        let text = """
            [sip]
            listen = ["udp://203.0.113.10:5060", "tcp://203.0.113.10:5060"]
            [emergency]
            source = "tcp://203.0.113.10"
            [emergency.primary]
            host = "192.0.2.1"
            """
        #expect(errorLines(text) == ["conf/x.toml:4: emergency.source: the SBCs use udp, the source is tcp"])
        #expect(
            errorLines(text, listenOverrides: ["udp://127.0.0.1:0"]) == [
                "conf/x.toml:4: emergency.source: tcp://203.0.113.10:5060 is not one of the [sip] listen addresses (udp://127.0.0.1:0)"
            ])
    }
}
