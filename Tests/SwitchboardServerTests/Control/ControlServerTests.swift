import Foundation
import Logging
import Testing
@testable import SwitchboardServer

@Suite("Control socket")
struct ControlServerTests {
    /// A started server on ports 0 with its data directory and control socket in a fresh directory.
    struct Fixture {
        let directory: URL
        let file: URL
        let socket: String
        let server: Server

        init(_ extra: String = "") throws {
            directory = try makeTemporaryDirectory()
            file = directory.appendingPathComponent("switchboard.toml")
            socket = directory.appendingPathComponent("ctl").path
            try Self.text(extra, directory: directory, socket: socket).write(to: file, atomically: true, encoding: .utf8)
            let output = LogOutput { _ in }
            let logger = Logger(label: "switchboard") { SwitchboardLogHandler(label: $0, output: output) }
            let loader = ConfigurationLoader()
            server = Server(snapshot: try loader.load(.file(file.path)), loader: loader, logOutput: output, logger: logger)
            try server.start()
        }

        static func text(_ extra: String, directory: URL, socket: String) -> String {
            """
            [server]
            shards = 2
            data_dir = "\(directory.appendingPathComponent("data").path)"
            [control]
            socket = "\(socket)"
            [sip]
            listen = ["udp://127.0.0.1:0", "tcp://127.0.0.1:0"]
            \(extra)
            """
        }

        func rewrite(_ extra: String) throws {
            try Self.text(extra, directory: directory, socket: socket).write(to: file, atomically: true, encoding: .utf8)
        }

        func ask(_ command: String) throws -> ControlReply {
            try ControlClient.send(command, to: socket, timeoutSeconds: 20)
        }

        func tearDown() {
            server.stop()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// `key: value` lines as a dictionary.
    static func fields(_ reply: ControlReply) -> [String: String] {
        var fields: [String: String] = [:]
        for line in reply.lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(colon, offsetBy: 2)...])
        }
        return fields
    }

    @Test("status: uptime, configuration, shards, transactions, connections and counters as key: value lines")
    func status() throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        let reply = try fixture.ask("status")
        #expect(!reply.isError)
        let fields = Self.fields(reply)
        #expect(fields["config_version"] == "1")
        #expect(fields["config_source"] == fixture.file.path)
        #expect(fields["shards"] == "2")
        #expect(fields["draining"] == "no")
        for key in [
            "uptime_seconds", "transactions_server", "transactions_client", "pending_requests", "connections", "requests",
            "forwarded", "rejected",
        ] {
            #expect(fields[key].flatMap { Int($0) } != nil, "\(key) in \(reply.text)")
        }
    }

    @Test("reload: ok version=N; an invalid file answers its errors with file:line and keeps the version")
    func reload() throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        try fixture.rewrite("[log]\nlevel = \"debug\"\n")
        #expect(try fixture.ask("reload").text == "ok version=2\n")
        #expect(Self.fields(try fixture.ask("status"))["config_version"] == "2")

        try fixture.rewrite("[log]\nlevel = \"loud\"\n")
        let reply = try fixture.ask("reload")
        #expect(reply.isError)
        #expect(reply.lines.first == "error: configuration invalid, version 2 stays in force")
        #expect(reply.lines.contains { $0.hasPrefix("\(fixture.file.path):9: log.level: unknown log level \"loud\"") }, "\(reply.text)")
        #expect(Self.fields(try fixture.ask("status"))["config_version"] == "2")
    }

    @Test("an unknown command is answered with an error naming the commands")
    func unknownCommand() throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        let reply = try fixture.ask("calls")
        #expect(reply.text == "error: unknown command \"calls\" (expected status, reload, registrations, trunks, emergency)\n")
    }

    @Test("the socket file exists while the server runs and is removed by stop")
    func socketLifetime() throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        #expect(FileManager.default.fileExists(atPath: fixture.socket))
        fixture.server.stop()
        #expect(!FileManager.default.fileExists(atPath: fixture.socket))
        #expect(throws: ControlClientError.notRunning(path: fixture.socket, reason: "No such file or directory")) {
            try fixture.ask("status")
        }
    }

    @Test("a stale socket file is replaced; a live server's socket and other files are not")
    func staleSocket() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ctl").path
        // A socket file nobody listens on, as a killed server leaves it.
        let fd = try ControlSyscall.socket()
        try ControlSyscall.bind(fd, path: path)
        ControlSyscall.close(fd)
        #expect(throws: ControlClientError.notRunning(path: path, reason: "Connection refused")) {
            try ControlClient.send("status", to: path)
        }

        let first = ControlServer(path: path, logger: Logger(label: "test")) { _, reply in reply("first\n") }
        try first.start()
        defer { first.stop() }
        #expect(try ControlClient.send("status", to: path).text == "first\n")

        let second = ControlServer(path: path, logger: Logger(label: "test")) { _, reply in reply("second\n") }
        #expect(throws: ControlSocketError(path: path, reason: "another server is running on it")) { try second.start() }
        #expect(try ControlClient.send("status", to: path).text == "first\n")

        let file = directory.appendingPathComponent("file").path
        try "keep me".write(toFile: file, atomically: true, encoding: .utf8)
        let third = ControlServer(path: file, logger: Logger(label: "test")) { _, reply in reply("third\n") }
        #expect(throws: ControlSocketError(path: file, reason: "exists and is not a socket")) { try third.start() }
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "keep me")
    }

    @Test("requests from several clients at once are each answered")
    func concurrentClients() throws {
        let fixture = try Fixture()
        defer { fixture.tearDown() }
        let answered = LockedValue(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let reply = try? fixture.ask("status"), Self.fields(reply)["config_version"] == "1" {
                answered.withLock { $0 += 1 }
            }
        }
        #expect(answered.current == 8)
    }

    @Test("the server refuses to start when the control socket cannot be created")
    func cannotCreate() throws {
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("s.toml")
        let socket = directory.appendingPathComponent("missing/ctl").path
        try """
        [server]
        data_dir = "\(directory.appendingPathComponent("data").path)"
        [control]
        socket = "\(socket)"
        [sip]
        listen = ["udp://127.0.0.1:0"]
        """.write(to: file, atomically: true, encoding: .utf8)
        let loader = ConfigurationLoader()
        let output = LogOutput { _ in }
        let server = Server(
            snapshot: try loader.load(.file(file.path)), loader: loader, logOutput: output,
            logger: Logger(label: "switchboard") { SwitchboardLogHandler(label: $0, output: output) })
        #expect(throws: ServerError.cannotOpenControlSocket("control socket \(socket): bind: No such file or directory (errno 2)")) {
            try server.start()
        }
    }
}
