import Foundation
import Testing
import SwitchboardServer

/// Runs the built `switchboard` binary as a child process.
///
/// The test target does not depend on the executable; `swift test` builds
/// every product into the same directory as the test bundle, so the binary
/// is looked up next to the running test executable. A missing binary fails
/// the tests (it is never skipped).
@Suite("switchboard process")
struct SwitchboardProcessTests {
    /// `<build dir>/switchboard`. Under `swift test` on Linux the test bundle is
    /// the executable `<build dir>/SwitchboardPackageTests.xctest`, so
    /// `Bundle.main.executableURL` (and `CommandLine.arguments[0]`) name the
    /// build directory, where `swift test` has also built the `switchboard` product.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL {
            candidates.append(executable.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        let argumentZero = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        if !candidates.contains(argumentZero.deletingLastPathComponent()) {
            candidates.append(argumentZero.deletingLastPathComponent())
        }
        for directory in candidates {
            let binary = directory.appendingPathComponent("switchboard")
            if FileManager.default.isExecutableFile(atPath: binary.path) { return binary }
        }
        throw BinaryNotFound(searched: candidates.map(\.path))
    }

    struct BinaryNotFound: Error, CustomStringConvertible {
        let searched: [String]
        var description: String {
            "switchboard binary not found in \(searched); build it first: swift build --product switchboard"
        }
    }

    /// A child process whose standard error is collected line by line.
    final class Child: @unchecked Sendable {
        let process = Process()
        private let condition = NSCondition()
        private var output = ""
        private var reader: Thread?

        init(_ binary: URL, _ arguments: [String], in directory: URL) throws {
            process.executableURL = binary
            process.arguments = arguments
            process.currentDirectoryURL = directory
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = pipe
            try process.run()
            let handle = pipe.fileHandleForReading
            let thread = Thread { [self] in
                while true {
                    let data = handle.availableData
                    condition.lock()
                    if data.isEmpty {
                        output += "\u{4}"
                    } else {
                        output += String(decoding: data, as: UTF8.self)
                    }
                    condition.broadcast()
                    condition.unlock()
                    if data.isEmpty { return }
                }
            }
            thread.start()
            reader = thread
        }

        /// Everything written so far.
        var log: String {
            condition.lock()
            defer { condition.unlock() }
            return output
        }

        /// Waits until a line containing every one of `fragments` appears; `false`
        /// if the output ends or a generous bound passes first.
        func waitForLine(containing fragments: [String], after skip: Int = 0) -> Bool {
            let bound = Date().addingTimeInterval(60)
            condition.lock()
            defer { condition.unlock() }
            while true {
                let lines = output.split(separator: "\n").dropFirst(skip)
                if lines.contains(where: { line in fragments.allSatisfy { line.contains($0) } }) { return true }
                if output.hasSuffix("\u{4}") || !condition.wait(until: bound) { return false }
            }
        }

        var lineCount: Int {
            log.split(separator: "\n").count
        }

        /// Waits for the process to exit, killing it if it has not within a generous bound.
        func waitForExit() -> Int32? {
            let bound = Date().addingTimeInterval(60)
            while process.isRunning && Date() < bound {
                usleep(10_000)
            }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                return nil
            }
            process.waitUntilExit()
            // The output is complete once the reader has seen the pipe's end.
            condition.lock()
            while !output.hasSuffix("\u{4}"), condition.wait(until: bound) {}
            condition.unlock()
            return process.terminationStatus
        }
    }

    @Test("run: starts, reloads on SIGHUP, keeps running on an invalid file, exits 0 on SIGTERM")
    func runLifecycle() throws {
        let binary = try Self.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tmp.toml")
        try "[log]\nlevel = \"info\"\n[sip]\nlisten = [\"udp://127.0.0.1:0\", \"tcp://127.0.0.1:0\"]\n".write(to: file, atomically: true, encoding: .utf8)

        let child = try Child(binary, ["run", "--config", "tmp.toml"], in: directory)
        defer { if child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) } }
        #expect(child.waitForLine(containing: [" info switchboard: started ", "source=tmp.toml"]), "\(child.log)")
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("data").path))

        try "[log]\nlevel = \"debug\"\n[sip]\nlisten = [\"udp://127.0.0.1:0\", \"tcp://127.0.0.1:0\"]\n".write(to: file, atomically: true, encoding: .utf8)
        var mark = child.lineCount
        kill(child.process.processIdentifier, SIGHUP)
        #expect(child.waitForLine(containing: ["config reloaded", "version=2"], after: mark), "\(child.log)")

        try "[log]\nlevel = \"loud\"\n".write(to: file, atomically: true, encoding: .utf8)
        mark = child.lineCount
        kill(child.process.processIdentifier, SIGHUP)
        #expect(
            child.waitForLine(containing: [#"error switchboard: tmp.toml:2: log.level: unknown log level "loud""#], after: mark),
            "\(child.log)")
        #expect(child.process.isRunning)

        kill(child.process.processIdentifier, SIGTERM)
        #expect(child.waitForExit() == 0, "\(child.log)")
        #expect(child.process.terminationReason == .exit)
        #expect(child.log.contains("stopped drain=complete"))
    }

    @Test("run without --config and without conf/switchboard.toml uses the embedded default; SIGINT exits 0")
    func runEmbeddedDefault() throws {
        let binary = try Self.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }

        let child = try Child(binary, ["run", "--listen", "udp://127.0.0.1:0"], in: directory)
        defer { if child.process.isRunning { kill(child.process.processIdentifier, SIGKILL) } }
        #expect(child.waitForLine(containing: ["using the embedded default configuration"]), "\(child.log)")
        #expect(
            child.waitForLine(containing: ["started", "listen=udp://127.0.0.1:0 ", "source=\"<embedded default>\""]),
            "\(child.log)")

        kill(child.process.processIdentifier, SIGINT)
        #expect(child.waitForExit() == 0, "\(child.log)")
        #expect(child.log.contains("draining participants=1 reason=SIGINT"))
    }

    @Test("check-config: a bad file exits 1 with file:line: key")
    func checkConfigBad() throws {
        let binary = try Self.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "[sip]\nlisten = [\"sctp://127.0.0.1\"]\n[sip.limits]\nmax_via = 0\n"
            .write(to: directory.appendingPathComponent("bad.toml"), atomically: true, encoding: .utf8)

        let child = try Child(binary, ["check-config", "bad.toml"], in: directory)
        #expect(child.waitForExit() == 1)
        #expect(child.waitForLine(containing: ["bad.toml:2: sip.listen[0]: unknown transport \"sctp\""]), "\(child.log)")
        #expect(child.waitForLine(containing: ["bad.toml:4: sip.limits.max_via: 0 is out of range 1...256"]), "\(child.log)")
    }

    @Test("check-config: the default file is ok")
    func checkConfigDefault() throws {
        let binary = try Self.binary()
        let path = repositoryRoot.appendingPathComponent("conf/switchboard.toml").path
        let child = try Child(binary, ["check-config", path], in: repositoryRoot)
        #expect(child.waitForExit() == 0)
        #expect(child.waitForLine(containing: ["\(path): ok"]), "\(child.log)")
        #expect(child.waitForLine(containing: ["listen=udp://127.0.0.1:5060,tcp://127.0.0.1:5060"]), "\(child.log)")
    }
    @Test("RFC 7616 3.4.2: user hash prints an [[auth.user]] block of HA1s for the realm, which check-config accepts")
    func userHashCommand() throws {
        let binary = try Self.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = "[server]\ndata_dir = \"data\"\n[sip]\ndomains = [\"pbx.example.com\"]\n"
        try base.write(to: directory.appendingPathComponent("sb.toml"), atomically: true, encoding: .utf8)
        let hash = try Child(binary, ["user", "hash", "carol", "--password", "c4rol-pw", "--config", "sb.toml"], in: directory)
        #expect(hash.waitForExit() == 0)
        let block = AuthSettings.userBlock(username: "carol", password: "c4rol-pw", realm: "pbx.example.com")
        #expect(hash.log.contains(block), "\(hash.log)")
        #expect(!hash.log.contains("c4rol-pw"))
        try (base + "[auth]\n" + block).write(to: directory.appendingPathComponent("users.toml"), atomically: true, encoding: .utf8)
        let check = try Child(binary, ["check-config", "users.toml"], in: directory)
        #expect(check.waitForExit() == 0, "\(check.log)")
    }

    @Test("user add/list/remove: HA1 hashes stored for the [auth] realm, a bad name refused, removal reported")
    func userCommands() throws {
        let binary = try Self.binary()
        let directory = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "[server]\ndata_dir = \"data\"\n[sip]\ndomains = [\"pbx.example.com\"]\n"
            .write(to: directory.appendingPathComponent("sb.toml"), atomically: true, encoding: .utf8)
        let add = try Child(binary, ["user", "add", "alice", "--password", "s3cret", "--config", "sb.toml"], in: directory)
        #expect(add.waitForExit() == 0)
        #expect(add.log.contains("user alice stored for realm pbx.example.com"), "\(add.log)")
        let bad = try Child(binary, ["user", "add", "al ice", "--password", "x", "--config", "sb.toml"], in: directory)
        #expect(bad.waitForExit() == 1)
        #expect(bad.log.contains("invalid user name"), "\(bad.log)")
        let list = try Child(binary, ["user", "list", "--config", "sb.toml"], in: directory)
        #expect(list.waitForExit() == 0)
        #expect(list.log.contains("alice realm=pbx.example.com algorithms=SHA-512-256,SHA-256,MD5"), "\(list.log)")
        // The password itself is nowhere in the data directory (database, WAL, secret).
        let data = directory.appendingPathComponent("data")
        let files = try FileManager.default.contentsOfDirectory(atPath: data.path)
        #expect(files.contains("registrar.sqlite"))
        for file in files {
            let bytes = try Data(contentsOf: data.appendingPathComponent(file))
            #expect(bytes.range(of: Data("s3cret".utf8)) == nil, "password found in \(file)")
        }
        let remove = try Child(binary, ["user", "remove", "alice", "--config", "sb.toml"], in: directory)
        #expect(remove.waitForExit() == 0)
        let again = try Child(binary, ["user", "remove", "alice", "--config", "sb.toml"], in: directory)
        #expect(again.waitForExit() == 1)
        #expect(again.log.contains("no user alice in realm pbx.example.com"), "\(again.log)")
    }
}
