import Foundation
import Testing

/// Runs the scripts of `tests/interop/` against the built `switchboard`:
/// real SIP software (SIPp, Kamailio) and bad input on the wire, each script
/// inside its own network namespace. A missing tool fails the test with the
/// tool's name; `scripts/test.sh` installs them.
@Suite("interop", .serialized)
struct InteropTests {
    @Test("RFC 3261 16: SIPp calls through Switchboard over UDP and TCP (record-route pair, built-in uac/uas)")
    func proxySIPp() throws {
        try Self.run("proxy-sipp.sh", tools: ["sipp"])
    }

    @Test("RFC 3261 16.6, 16.12: Kamailio as the next hop, ACK and BYE pass both proxies")
    func kamailioNextHop() throws {
        try Self.run("kamailio-next-hop.sh", tools: ["sipp", "kamailio"])
    }

    @Test("RFC 3261 17.1.1.2, 17.2.1, RFC 6026: Timer A, absorbed retransmissions, Timer G and H, 2xx retransmissions")
    func retransmissions() throws {
        try Self.run("retransmissions.sh", tools: ["sipp"])
    }

    @Test("RFC 4475, RFC 5118: every torture message on the wire gets the proxy's answer, and OPTIONS after each")
    func tortureWire() throws {
        try Self.run("torture-wire.sh", tools: [])
    }

    @Test("RFC 3261 18.3, 18.1.1: garbage, 64 KB datagrams, endless headers, stalled bodies and handshakes, 10 000 idle connections")
    func badInput() throws {
        try Self.run("bad-input.sh", tools: ["sipp"])
    }

    @Test("RFC 3261 10, RFC 7616: SIPp registers with digest over UDP, TCP, TLS; calls find registered contacts; bindings survive kill -9")
    func registrarSIPp() throws {
        try Self.run("registrar-sipp.sh", tools: ["sipp", "openssl"])
    }

    @Test("RFC 3261 10.3, 21.4.4, 20.19, RFC 7616 3.3: wrong password 403, replayed nc and forged nonce challenged, 1000 contacts refused, absurd Expires shortened, a REGISTER flood while others register")
    func registrarBadInput() throws {
        try Self.run("registrar-bad-input.sh", tools: [])
    }

    @Test("RFC 3261 10, 16: two baresip phones register with digest and call each other through Switchboard")
    func registrarBaresip() throws {
        try Self.run("registrar-baresip.sh", tools: ["baresip", "stdbuf"])
    }

    @Test("RFC 3261 16, issue 6: trunk calls through the B2BUA to SIPp carriers: least cost, failover chains, no failover on 486, timeouts, BYE both ways, re-INVITE, topology hiding")
    func trunkSIPp() throws {
        try Self.run("trunk-sipp.sh", tools: ["sipp"])
    }

    @Test("RFC 3261 22.2, RFC 7616: the B2BUA answers carriers' 407 and 401 challenges with the carrier's credentials, once")
    func trunkCarrierAuth() throws {
        try Self.run("trunk-carrier-auth.sh", tools: ["sipp"])
    }

    @Test("RFC 6442, RFC 4119, Kari's Law, RAY BAUM'S Act: 911 and 933 through the Bandwidth SBCs with callback number and PIDF-LO, failover, during a drain, notifications, PSAP callback")
    func e911SIPp() throws {
        try Self.run("e911-sipp.sh", tools: ["sipp"])
    }

    @Test("RFC 3261 16.5, RFC 3325 9.1, issue 6: carrier calls to DIDs reach a registered user and a PBX, unknown DIDs get 404 without tromboning, caller ID per carrier, customer channel limit 503")
    func trunkInbound() throws {
        try Self.run("trunk-inbound.sh", tools: ["sipp"])
    }

    @Test("RFC 3711, 4568, 7587, issue 8: SRTP phone to RTP phone and Opus phone to a PCMU carrier heard through the relay; stranger RTP, junk, wrong SRTP keys, 50 m-lines, port exhaustion")
    func mediaInterop() throws {
        try Self.run("media-interop.sh", tools: ["baresip", "sipp", "stdbuf"])
    }

    @Test("RFC 3550, RFC 3264 8.4: kernel-forwarded RTP to another host over a veth pair, IP forwarding off: delivered both ways from the relay's address and port, valid checksums, counted as the kernel's")
    func mediaKernelRemote() throws {
        try Self.run("media-kernel-remote.sh", tools: ["sipp", "tcpdump", "nsenter"], skipStatus: 77)
    }

    /// Longest a script may run before it is killed (each bounds itself well below).
    static let timeLimit: TimeInterval = 180

    /// Runs `tests/interop/NAME` with `SWITCHBOARD` set to the built binary;
    /// records a failure with the script's output unless it exits 0, or
    /// `skipStatus` (the script found the check impossible here: the test is cancelled).
    static func run(_ name: String, tools: [String], skipStatus: Int32? = nil) throws {
        for tool in ["bash", "unshare", "python3", "ip", "ss", "timeout"] + tools where which(tool) == nil {
            Issue.record("\(tool) is not installed; scripts/install-deps.sh installs the interop tools (sip-tester, kamailio, iproute2, python3)")
            return
        }
        let binary = try SwitchboardProcessTests.binary()
        let script = repositoryRoot.appendingPathComponent("tests/interop/\(name)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("interop-\(name)-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        defer { try? handle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script.path]
        process.currentDirectoryURL = repositoryRoot
        var environment = ProcessInfo.processInfo.environment
        environment["SWITCHBOARD"] = binary.path
        environment["REPO_ROOT"] = repositoryRoot.path
        environment["INTEROP_MAX_S"] = String(Int(timeLimit) - 10)
        process.environment = environment
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let deadline = Date().addingTimeInterval(timeLimit)
        while process.isRunning && Date() < deadline {
            usleep(50_000)
        }
        let timedOut = process.isRunning
        if timedOut {
            // SIGTERM lets the script's exit trap stop what it started; then SIGKILL.
            kill(process.processIdentifier, SIGTERM)
            let grace = Date().addingTimeInterval(15)
            while process.isRunning && Date() < grace { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            // Foundation's Process notices the end only when every descendant has
            // closed the descriptors it inherited: bounded, never waitUntilExit().
            let reap = Date().addingTimeInterval(5)
            while process.isRunning && Date() < reap { usleep(50_000) }
        }
        let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        if let keep = ProcessInfo.processInfo.environment["INTEROP_LOG_DIR"] {
            // Keep every script's output, passing or not, e.g. for CI artifacts.
            try? text.write(toFile: keep + "/" + name + ".log", atomically: true, encoding: .utf8)
        }
        if timedOut {
            Issue.record("\(name) did not finish within \(Int(timeLimit)) s (or left a process behind):\n\(text)")
            return
        }
        let failures = text.split(separator: "\n").filter { $0.hasPrefix("FAIL ") }.joined(separator: "\n")
        if let skipStatus, process.terminationStatus == skipStatus, failures.isEmpty {
            let reasons = text.split(separator: "\n").filter { $0.hasPrefix("SKIP ") }.joined(separator: "\n")
            try Test.cancel("\(name): \(reasons)")
        }
        #expect(
            process.terminationStatus == 0,
            "\(name) exited \(process.terminationStatus)\n\(failures.isEmpty ? "" : "failures:\n\(failures)\n")output:\n\(text)")
    }

    /// The path of an executable named `tool` on PATH (or in the sbin directories), or nil.
    static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let directories = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin", "/usr/local/sbin"]
        for directory in directories {
            let candidate = directory + "/" + tool
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
