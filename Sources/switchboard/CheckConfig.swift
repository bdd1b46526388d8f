import ArgumentParser
import Foundation
import SwitchboardServer

/// `switchboard check-config FILE`: the validation a reload runs, without a server.
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate a configuration file exactly as a reload would.",
        discussion: """
            Prints "FILE: ok", a summary and every gap as "warning: FILE:LINE: KEY: TEXT" \
            (gaps do not fail the check), or every error as FILE:LINE: KEY: REASON \
            on standard error and exits with status 1.
            """
    )

    @Argument(help: ArgumentHelp("Configuration file.", valueName: "file"))
    var file: String

    func run() throws {
        do {
            let snapshot = try ConfigurationLoader().load(.file(file))
            print("\(file): ok")
            print(snapshot.summary)
            for warning in snapshot.warnings {
                print("warning: \(warning)")
            }
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        }
    }
}
