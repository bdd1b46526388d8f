import Testing
@testable import SwitchboardServer

@Suite("Key positions in TOML text")
struct TOMLKeyLocatorTests {
    private func line(_ path: String, in text: String) -> Int? {
        TOMLKeyLocator(text: text).positions.first { $0.key.description == path }?.value.line
    }

    @Test("table headers, dotted keys, inline tables, multi-line arrays")
    func shapes() {
        let text = """
            # comment with [brackets] and key = "value"
            title = "a # not a comment"
            [sip]
            limits.max_via = 3
            timers = { t1_ms = 100,
              t2_ms = 200 }
            listen = [ # comment
              "udp://127.0.0.1", # first

              "tcp://127.0.0.1"
            ]
            [ "quoted key" . inner ]
            'literal' = '''multi
            line = 5
            '''
            after = 1
            [[carriers]]
            name = "a"
            [[carriers]]
            name = "b"
            """
        #expect(line("title", in: text) == 2)
        #expect(line("sip", in: text) == 3)
        #expect(line("sip.limits.max_via", in: text) == 4)
        #expect(line("sip.timers.t1_ms", in: text) == 5)
        #expect(line("sip.timers.t2_ms", in: text) == 6)
        #expect(line("sip.listen", in: text) == 7)
        #expect(line("sip.listen[0]", in: text) == 8)
        #expect(line("sip.listen[1]", in: text) == 10)
        #expect(line("\"quoted key\".inner.literal", in: text) == 13)
        #expect(line("\"quoted key\".inner.after", in: text) == 16)
        #expect(line("carriers[0].name", in: text) == 18)
        #expect(line("carriers[1].name", in: text) == 20)
        #expect(line("line", in: text) == nil)
    }

    @Test("keys in implicit tables fall back to the nearest written ancestor")
    func fallback() {
        let locator = TOMLKeyLocator(text: "x = 1\n[sip.limits]\nmax_via = 3\n")
        #expect(locator.position(of: ConfigurationKeyPath(keys: ["sip", "limits", "nothing"]))?.line == 2)
        #expect(locator.position(of: ConfigurationKeyPath(keys: ["sip"]))?.line == 2)
        #expect(locator.position(of: ConfigurationKeyPath(keys: ["absent"])) == nil)
    }
}
