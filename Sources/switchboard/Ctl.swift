import ArgumentParser
import Foundation
import SwitchboardServer

/// `switchboard ctl status|reload|registrations [AOR]|trunks|emergency`: asks the running server over its control socket.
struct Ctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Ask the running server for its status, or to reload its configuration.",
        discussion: """
            Talks to the server's control socket: --socket if given, else the [control] socket \
            of --config FILE (or of conf/switchboard.toml in the working directory), else \
            ./data/switchboard.ctl. Relative paths are resolved against the working directory, \
            as the server resolves them. `status` prints key: value lines; `reload` prints \
            "ok version=N", or the configuration errors as FILE:LINE: KEY: REASON and exits 1; \
            `registrations [AOR]` prints one line per registered contact, `trunks` one line per carrier \
            (health, circuit breaker, channels), `emergency` the recent emergency calls. \
            Exits 1 when no server is running.
            """
    )

    enum Command: String, ExpressibleByArgument, CaseIterable {
        case status
        case reload
        case registrations
        case trunks
        case emergency
    }

    @Argument(help: ArgumentHelp("status, reload, registrations, trunks or emergency.", valueName: "command"))
    var command: Command

    @Argument(help: ArgumentHelp("For registrations: only this address-of-record.", valueName: "aor"))
    var aor: String?

    @Option(name: .long, help: ArgumentHelp("Control socket of the server.", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file naming the control socket.", valueName: "file"))
    var config: String?

    func run() throws {
        let path: String
        do {
            path = try socketPath()
        } catch {
            Self.fail(error.description)
        }
        let reply: ControlReply
        do {
            reply = try ControlClient.send([command.rawValue, aor].compactMap { $0 }.joined(separator: " "), to: path)
        } catch {
            Self.fail(error.description)
        }
        if reply.isError {
            FileHandle.standardError.write(Data(reply.text.utf8))
            throw ExitCode.failure
        }
        print(reply.text, terminator: "")
    }

    private func socketPath() throws(InvalidConfiguration) -> String {
        if let socket { return socket }
        if let config { return try ControlSettings.socketPath(inFile: config) }
        if FileManager.default.fileExists(atPath: Run.conventionalPath) {
            return try ControlSettings.socketPath(inFile: Run.conventionalPath)
        }
        return ControlSettings().socketPath
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(1)
    }
}
