import CallCore
import SIPCore
import Testing

@testable import SwitchboardServer

@Suite("[proxy] settings and static routes")
struct ProxySettingsTests {
    @Test("routes compile into the table the proxy consults, in order")
    func compile() throws {
        let text = """
            [proxy]
            record_route = false
            preloaded_routes = ["sip:edge.example.net;lr"]

            [[proxy.route]]
            domain = "*.example.com"
            user_prefix = "+1"
            to = ["sip:127.0.0.1:5090", "sip:127.0.0.1:5091"]
            serial = true

            [[proxy.route]]
            domain = "*"
            reject = 403
            reason = "Forbidden"
            """
        let proxy = try ConfigurationLoader().decode(text, file: "conf/x.toml").proxy
        #expect(!proxy.recordRoute)
        #expect(proxy.preloadedRoutes == ["<sip:edge.example.net;lr>"])
        let table = proxy.routeTable()
        let m = try SIPMessage("OPTIONS sip:x@h SIP/2.0\r\n\r\n")
        let a = try SIPURI("sip:127.0.0.1:5090")
        let b = try SIPURI("sip:127.0.0.1:5091")
        #expect(table.route(m, requestURI: try SIPURI("sip:+1415@pbx.example.com")) == .forward(uris: [[a], [b]]))
        #expect(table.route(m, requestURI: try SIPURI("sip:bob@other.net")) == .reject(status: 403, reason: "Forbidden"))
    }

    @Test("RFC 3263: [sip] nameserver is an address with port 53 by default; a bad one names its line")
    func nameserver() throws {
        let sip = try ConfigurationLoader().decode("[sip]\nnameserver = \"127.0.0.53\"\n", file: "conf/x.toml").sip
        #expect(sip.nameserver?.host == "127.0.0.53")
        #expect(sip.nameserver?.port == 53)
        let lines = errorLines("[sip]\nnameserver = \"dns.example\"\n")
        #expect(lines.contains { $0.hasPrefix("conf/x.toml:2: sip.nameserver:") }, "\(lines)")
    }

    @Test("[sip] udp_receive_threads: one by default, up to 64; out of range names its line and key; a change waits for a restart")
    func udpReceiveThreads() throws {
        let loader = ConfigurationLoader()
        #expect(try loader.decode("", file: "conf/x.toml").sip.udpReceiveThreads == 1)
        let two = try loader.decode("[sip]\nudp_receive_threads = 2\n", file: "conf/x.toml")
        #expect(two.sip.udpReceiveThreads == 2)
        let lines = errorLines("[sip]\nudp_receive_threads = 0\n")
        #expect(lines.contains { $0.hasPrefix("conf/x.toml:2: sip.udp_receive_threads:") }, "\(lines)")
        let one = try loader.decode("", file: "conf/x.toml")
        #expect(Server.restartOnlyChanges(from: one, to: two) == ["sip.udp_receive_threads"])
    }

    @Test("bad routes are reported with file, line and key")
    func errors() {
        let text = """
            [[proxy.route]]
            domain = "bad domain"
            to = ["http://x"]

            [[proxy.route]]
            domain = "*"
            rejekt = 403
            """
        let lines = errorLines(text)
        #expect(lines.contains { $0.hasPrefix("conf/x.toml:2: proxy.route[0].domain:") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("conf/x.toml:3: proxy.route[0].to[0]: not a sip: or sips: URI") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("conf/x.toml:7: proxy.route[1].rejekt: unknown key (did you mean \"reject\"?)") }, "\(lines)")
    }
}
