import Testing
@testable import SwitchboardServer

@Suite("Configuration errors name file, line and key")
struct ConfigurationErrorTests {
    @Test("unknown transport in a listen address")
    func unknownTransport() {
        let text = """
            [sip]
            listen = [
              "udp://127.0.0.1:5060",
              "sctp://127.0.0.1:5060",
            ]
            """
        #expect(
            errorLines(text) == [
                #"conf/x.toml:4: sip.listen[1]: unknown transport "sctp" (expected udp, tcp or tls)"#
            ])
    }

    @Test("unknown keys, with a suggestion for near misses only")
    func unknownKeys() {
        let text = """
            [sip.limits]
            max_vias = 10
            colour = "blue"
            """
        #expect(
            errorLines(text) == [
                #"conf/x.toml:2: sip.limits.max_vias: unknown key (did you mean "max_via"?)"#,
                "conf/x.toml:3: sip.limits.colour: unknown key",
            ])
    }

    @Test("[auth]: unknown digest algorithm, a network with host bits, an empty algorithm list")
    func authErrors() {
        let text = """
            [auth]
            algorithms = ["SHA-256", "SHA-1"]
            trusted = ["10.0.0.1/8", "192.0.2.7"]
            """
        let lines = errorLines(text)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("conf/x.toml:2: auth.algorithms[1]: ") == true)
        #expect(lines.first?.contains("SHA-1") == true)
        #expect(lines.last?.hasPrefix("conf/x.toml:3: auth.trusted[0]: ") == true)
        #expect(errorLines("[auth]\nalgorithms = []\n") == ["conf/x.toml:2: auth.algorithms: at least one algorithm is needed"])
    }

    @Test("[[auth.user]]: bad name, short hash, a password, no hash, a user twice")
    func configuredUserErrors() {
        let text = """
            [[auth.user]]
            username = "al ice"
            ha1_md5 = "abc"
            [[auth.user]]
            username = "bob"
            password = "bob-secret"
            [[auth.user]]
            username = "carol"
            ha1_sha256 = "5c1055114595788e6198fe848e7a2a1bdac3ac71ff3ea9f3212c3d683d3c071f"
            [[auth.user]]
            username = "carol"
            ha1_md5 = "13EC4DAC7A1CBE3658325CC281F7EF5C"
            """
        let lines = errorLines(text)
        #expect(lines.contains { $0.hasPrefix("conf/x.toml:2: auth.user[0].username: required: a SIP user part") })
        #expect(lines.contains("conf/x.toml:3: auth.user[0].ha1_md5: an MD5 HA1 is 32 hex digits"))
        #expect(lines.contains { $0.hasPrefix("conf/x.toml:6: auth.user[1].password: passwords are not kept") })
        #expect(lines.contains { $0.hasPrefix("conf/x.toml:5: auth.user[1].username: no HA1") })
        #expect(lines.contains("conf/x.toml:11: auth.user[3].username: user carol is defined twice"))
        #expect(lines.count == 5, "\(lines)")
    }

    @Test("[registrar]: max_contacts out of range")
    func maxContactsRange() {
        #expect(errorLines("[registrar]\nmax_contacts = -1\n").first?.hasPrefix("conf/x.toml:2: registrar.max_contacts: ") == true)
    }

    @Test("[registrar]: expiry bounds out of order")
    func registrarErrors() {
        let text = """
            [registrar]
            min_expires = 600
            default_expires = 300
            max_expires = 120
            """
        #expect(
            errorLines(text) == [
                "conf/x.toml:3: registrar.default_expires: 300 is outside min_expires...max_expires",
                "conf/x.toml:4: registrar.max_expires: 120 is less than min_expires (600)",
            ])
    }

    @Test("unknown table")
    func unknownTable() {
        #expect(errorLines("[e911]\n") == ["conf/x.toml:1: e911: unknown table"])
        #expect(errorLines("[sips]\nlisten = []\n") == [#"conf/x.toml:1: sips: unknown table (did you mean "sip"?)"#])
    }

    @Test("wrong types: scalar, array element, table")
    func wrongTypes() {
        let text = """
            [server]
            shards = "four"
            [sip]
            domains = ["example.com", 7]
            [log]
            level = 3
            """
        #expect(
            errorLines(text) == [
                "conf/x.toml:2: server.shards: expected integer, found string",
                "conf/x.toml:4: sip.domains[1]: expected string, found integer",
                "conf/x.toml:6: log.level: expected string, found integer",
            ])
        #expect(errorLines("control = 5\n") == ["conf/x.toml:1: control: expected table, found integer"])
    }

    @Test("out-of-range values")
    func outOfRange() {
        let text = """
            [sip]
            limits = { max_via = 0, max_message_size = 100 }
            """
        #expect(
            errorLines(text) == [
                "conf/x.toml:2: sip.limits.max_via: 0 is out of range 1...256",
                "conf/x.toml:2: sip.limits.max_message_size: 100 is out of range 1024...1048576",
            ])
    }

    @Test("[media]: kernel_forwarding is \"auto\" or \"off\"; a bad value names file, line and key")
    func kernelForwardingMode() {
        let lines = errorLines("[media]\ntimeout = 30\nkernel_forwarding = \"on\"\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix("conf/x.toml:3: media.kernel_forwarding: ") == true)
        #expect(lines.first?.contains("auto") == true)
        #expect(errorLines("[media]\nkernel_forwarding = \"off\"\n").isEmpty)
    }

    @Test("connection timeouts: seconds as integers, in range, named with file and line")
    func connectionTimeouts() throws {
        let text = """
            [sip.limits]
            tcp_idle_timeout = 0
            tls_handshake_timeout = "5s"
            """
        #expect(
            errorLines(text) == [
                "conf/x.toml:2: sip.limits.tcp_idle_timeout: 0 is out of range 1...86400",
                "conf/x.toml:3: sip.limits.tls_handshake_timeout: expected integer, found string",
            ])
        let valid = try ConfigurationLoader().decode("[sip.limits]\ntcp_idle_timeout = 2\ntls_handshake_timeout = 3\n", file: "conf/x.toml")
        #expect(valid.sip.limits.tcpIdleTimeout == .seconds(2))
        #expect(valid.sip.limits.tlsHandshakeTimeout == .seconds(3))
    }

    @Test("duplicate listen addresses and TCP/TLS on one port")
    func duplicateListens() {
        let text = """
            [sip]
            listen = ["udp://127.0.0.1", "udp://127.0.0.1:5060", "tls://[::1]:5070", "tcp://[0:0::1]:5070"]
            """
        #expect(
            errorLines(text) == [
                "conf/x.toml:1: sip.tls.certificate: required by the listener tls://[::1]:5070",
                "conf/x.toml:1: sip.tls.private_key: required by the listener tls://[::1]:5070",
                "conf/x.toml:2: sip.listen[1]: duplicate listen address udp://127.0.0.1:5060 (first at sip.listen[0])",
                "conf/x.toml:2: sip.listen[3]: tcp://[::1]:5070 and tls://[::1]:5070 (sip.listen[2]) cannot share one TCP port",
            ])
    }

    @Test("malformed listen addresses")
    func malformedListens() {
        let text = """
            [sip]
            listen = [
              "127.0.0.1:5060",
              "udp://example.com",
              "udp://::1",
              "tcp://127.0.0.1:70000",
              "tcp://127.0.0.1:http",
            ]
            """
        #expect(
            errorLines(text) == [
                #"conf/x.toml:3: sip.listen[0]: missing transport in "127.0.0.1:5060" (expected udp://, tcp:// or tls://)"#,
                #"conf/x.toml:4: sip.listen[1]: invalid host "example.com" (expected an IPv4 address or a bracketed IPv6 address)"#,
                #"conf/x.toml:5: sip.listen[2]: invalid address "::1" (write IPv6 addresses in brackets, e.g. "[::1]")"#,
                "conf/x.toml:6: sip.listen[3]: 70000 is out of range 0...65535",
                #"conf/x.toml:7: sip.listen[4]: invalid port "http""#,
            ])
    }

    @Test("cross-field rule: t2 at least t1 (RFC 3261 17.1.2.2)")
    func timerOrder() {
        #expect(
            errorLines("[sip.timers]\nt1_ms = 2000\nt2_ms = 1000\n") == [
                "conf/x.toml:3: sip.timers.t2_ms: 1000 is less than t1_ms (2000)"
            ])
    }

    @Test("control socket path longer than sun_path")
    func socketPathTooLong() {
        let path = "./" + String(repeating: "d", count: 120)
        #expect(
            errorLines("[control]\nsocket = \"\(path)\"\n") == [
                "conf/x.toml:2: control.socket: path is 122 bytes, longer than the 107 a socket path may have"
            ])
    }

    @Test("every error in a file is reported, in line order")
    func collectsAll() {
        let text = """
            [log]
            format = "xml"
            level = "loud"

            [server]
            drain_timeout = -1
            node = "bad name"

            [sip]
            listen = ["sctp://127.0.0.1"]
            user_agent = "a\\u0007b"

            [admin]
            listen = "127.0.0.1"
            """
        #expect(
            errorLines(text) == [
                #"conf/x.toml:2: log.format: unknown log format "xml" (expected text or json)"#,
                #"conf/x.toml:3: log.level: unknown log level "loud" (expected trace, debug, info, notice, warning, error or critical)"#,
                "conf/x.toml:6: server.drain_timeout: -1 is out of range 0...86400",
                #"conf/x.toml:7: server.node: invalid node name "bad name" (letters, digits, '-', '_' and '.', at most 64)"#,
                #"conf/x.toml:10: sip.listen[0]: unknown transport "sctp" (expected udp, tcp or tls)"#,
                "conf/x.toml:11: sip.user_agent: must be at most 256 bytes without control characters",
                #"conf/x.toml:14: admin.listen: missing port in "127.0.0.1" (expected HOST:PORT)"#,
            ])
    }

    @Test("TOML syntax errors carry the parser's line and column")
    func syntaxError() throws {
        let errors = errorLines("[server]\nshards = 4\nnode = \"unterminated\n")
        #expect(errors.count == 1)
        let error = try #require(errors.first)
        #expect(error.hasPrefix("conf/x.toml:3:"))
        #expect(error.contains("syntax error"))
    }

    @Test("--listen errors name the command line")
    func commandLineErrors() {
        #expect(
            errorLines("", listenOverrides: ["udp://127.0.0.1", "sctp://127.0.0.1"]) == [
                #"command line: --listen[1]: unknown transport "sctp" (expected udp, tcp or tls)"#
            ])
    }

    @Test("an unreadable file is one error naming the file")
    func unreadable() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("missing.toml").path
        #expect(throws: InvalidConfiguration.self) { try ConfigurationLoader().load(.file(path)) }
        do {
            _ = try ConfigurationLoader().load(.file(path))
        } catch {
            #expect(error.errors.map(\.description) == ["\(path): cannot read file: No such file or directory"])
        }
    }
}

import Foundation
