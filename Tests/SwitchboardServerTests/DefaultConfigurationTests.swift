import Foundation
import Logging
import Testing
@testable import SwitchboardServer

@Suite("Default configuration")
struct DefaultConfigurationTests {
    @Test("embedded default equals conf/switchboard.toml byte for byte")
    func embeddedEqualsFile() throws {
        let file = try Data(contentsOf: repositoryRoot.appendingPathComponent("conf/switchboard.toml"))
        let embedded = Data(DefaultConfiguration.text.utf8)
        if file != embedded {
            let fileLines = String(decoding: file, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            let embeddedLines = DefaultConfiguration.text.split(separator: "\n", omittingEmptySubsequences: false)
            let common = min(fileLines.count, embeddedLines.count)
            let first = (0..<common).first { fileLines[$0] != embeddedLines[$0] } ?? common
            Issue.record("embedded default differs from conf/switchboard.toml at line \(first + 1)")
        }
    }

    @Test("the default decodes to the documented defaults")
    func decodesDefaults() throws {
        let snapshot = try ConfigurationLoader().load(.embeddedDefault)
        let configuration = snapshot.configuration
        #expect(snapshot.version == 1)
        #expect(snapshot.source == .embeddedDefault)
        #expect(!configuration.server.node.isEmpty)
        #expect(configuration.server.dataDirectory == "./data")
        #expect(configuration.server.shards == 0)
        #expect(configuration.server.effectiveShards >= 1)
        #expect(configuration.server.drainTimeout == .seconds(30))
        #expect(configuration.log == LogSettings(level: .info, format: .text))
        #expect(
            configuration.sip.listen.map(\.description) == ["udp://127.0.0.1:5060", "tcp://127.0.0.1:5060"])
        #expect(configuration.sip.domains == ["switchboard.local"])
        #expect(configuration.auth.users.map(\.username) == ["alice", "bob"])
        #expect(configuration.registrar.maxContacts == 10)
        #expect(configuration.sip.userAgent == "Switchboard")
        #expect(
            configuration.sip.limits
                == SIPLimits(
                    maxMessageSize: 65535, maxHeaders: 256, maxVia: 70, maxTCPConnections: 4096,
                    tcpIdleTimeout: .seconds(120), tlsHandshakeTimeout: .seconds(10)))
        #expect(
            configuration.sip.timers
                == SIPTimers(t1: .milliseconds(500), t2: .milliseconds(4000), t4: .milliseconds(5000)))
        #expect(configuration.control.socketPath == "./data/switchboard.ctl")
        #expect(configuration.admin.listen?.description == "127.0.0.1:9090")
    }

    @Test("an empty file means every default, except the example domain and users")
    func emptyFileIsDefault() throws {
        let empty = try ConfigurationLoader().decode("", file: "empty.toml")
        var builtIn = try ConfigurationLoader().load(.embeddedDefault).configuration
        #expect(empty.sip.domains == [])
        #expect(empty.auth.users == [])
        builtIn.sip.domains = []
        builtIn.auth.users = []
        #expect(empty == builtIn)
    }

    @Test("RFC 7616 3.4.2: the example users' HA1s are H(user:realm:password) for the default realm")
    func exampleUsersMatchTheRealm() throws {
        let configuration = try ConfigurationLoader().load(.embeddedDefault).configuration
        let realm = configuration.auth.effectiveRealm(configuration)
        #expect(realm == "switchboard.local")
        let passwords = ["alice": "alice-secret", "bob": "bob-secret"]
        #expect(configuration.auth.users.count == 2)
        for user in configuration.auth.users {
            let password = try #require(passwords[user.username])
            #expect(user == AuthSettings.User(username: user.username, password: password, realm: realm))
        }
    }

    @Test("values set in the file are decoded")
    func decodesValues() throws {
        let certificates = try TestCertificates.get()
        let configuration = try ConfigurationLoader().decode(
            """
            [server]
            node = "edge-1.example"
            shards = 4
            drain_timeout = 0
            [log]
            level = "debug"
            format = "json"
            [sip]
            listen = ["udp://[::1]", "tls://[::]", "tcp://10.0.0.1:5080"]
            domains = ["Example.COM", "sip.example.net"]
            user_agent = ""
            limits.max_via = 8
            timers = { t1_ms = 250, t2_ms = 250 }
            tls = { certificate = "\(certificates.path("server.pem"))", private_key = "\(certificates.path("server.key"))" }
            [admin]
            listen = ""
            """, file: "x.toml")
        #expect(configuration.server.node == "edge-1.example")
        #expect(configuration.server.effectiveShards == 4)
        #expect(configuration.server.drainTimeout == .zero)
        #expect(configuration.log == LogSettings(level: .debug, format: .json))
        #expect(configuration.sip.listen.map(\.description) == ["udp://[::1]:5060", "tls://[::]:5061", "tcp://10.0.0.1:5080"])
        #expect(configuration.sip.listen[0].endpoint.family == .ipv6)
        #expect(configuration.sip.domains == ["example.com", "sip.example.net"])
        #expect(configuration.sip.userAgent == "")
        #expect(configuration.sip.limits.maxVia == 8)
        #expect(configuration.sip.timers.t1 == .milliseconds(250))
        #expect(configuration.sip.tls.certificate == certificates.path("server.pem"))
        #expect(configuration.admin.listen == nil)
    }

    @Test("--listen replaces sip.listen")
    func listenOverride() throws {
        let configuration = try ConfigurationLoader(listenOverrides: ["tcp://127.0.0.2:5070"])
            .decode(DefaultConfiguration.text, file: "x.toml")
        #expect(configuration.sip.listen.map(\.description) == ["tcp://127.0.0.2:5070"])
    }
}
