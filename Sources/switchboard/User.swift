import ArgumentParser
import Foundation
import SwitchboardServer

/// `switchboard user add|remove|list`: the users who may register and call.
struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add, remove or list the users who may register and place calls.",
        discussion: """
            Edits the registrar's database in [server] data_dir of --config FILE (or of \
            conf/switchboard.toml in the working directory, else the embedded default). \
            Passwords are stored only as digest hashes (HA1) for the [auth] realm; a running \
            server sees a change within a few seconds.
            """,
        subcommands: [Add.self, Remove.self, List.self]
    )

    struct Options: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "file"))
        var config: String?

        func directory() throws -> UserDirectory {
            let source: ConfigurationSource
            if let config {
                source = .file(config)
            } else if FileManager.default.fileExists(atPath: Run.conventionalPath) {
                source = .file(Run.conventionalPath)
            } else {
                source = .embeddedDefault
            }
            do {
                return try UserDirectory(configuration: ConfigurationLoader().load(source).configuration)
            } catch let error as InvalidConfiguration {
                Ctl.fail(error.description)
            } catch {
                Ctl.fail("\(error)")
            }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user, or set a new password for one.")

        @Argument(help: ArgumentHelp("User name (the user part of its address).", valueName: "user"))
        var username: String

        @Option(name: .long, help: "Password; without it, read from the first line of standard input.")
        var password: String?

        @Option(name: .long, help: "A note for operators, shown by `user list`.")
        var note: String = ""

        @OptionGroup var options: Options

        func run() throws {
            let directory = try options.directory()
            let secret = password ?? readLine(strippingNewline: true) ?? ""
            do {
                try directory.add(username: username, password: secret, note: note)
            } catch {
                Ctl.fail(error.description)
            }
            print("user \(username) stored for realm \(directory.realm)")
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user.")

        @Argument(help: ArgumentHelp("User name.", valueName: "user"))
        var username: String

        @OptionGroup var options: Options

        func run() throws {
            let directory = try options.directory()
            do {
                guard try directory.remove(username: username) else { Ctl.fail("no user \(username) in realm \(directory.realm)") }
            } catch {
                Ctl.fail(error.description)
            }
            print("user \(username) removed")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users: name, realm, algorithms, note.")

        @OptionGroup var options: Options

        func run() throws {
            let directory = try options.directory()
            do {
                for entry in try directory.list() {
                    let note = entry.note.isEmpty ? "" : " note=\"\(entry.note)\""
                    print("\(entry.username) realm=\(entry.realm) algorithms=\(entry.algorithms.joined(separator: ","))\(note)")
                }
            } catch {
                Ctl.fail(error.description)
            }
        }
    }
}
