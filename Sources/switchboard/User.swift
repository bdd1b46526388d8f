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
        subcommands: [Add.self, Remove.self, List.self, Hash.self]
    )

    struct Options: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "file"))
        var config: String?

        /// The configuration of --config, else conf/switchboard.toml, else the embedded default.
        func configuration() -> Configuration {
            let source: ConfigurationSource
            if let config {
                source = .file(config)
            } else if FileManager.default.fileExists(atPath: Run.conventionalPath) {
                source = .file(Run.conventionalPath)
            } else {
                source = .embeddedDefault
            }
            do {
                return try ConfigurationLoader().load(source).configuration
            } catch {
                Ctl.fail(error.description)
            }
        }

        func directory() throws -> UserDirectory {
            do {
                return try UserDirectory(configuration: configuration())
            } catch {
                Ctl.fail(error.description)
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

    struct Hash: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a user's [[auth.user]] block (HA1 hashes for the [auth] realm) to paste into the configuration.",
            discussion: """
                Nothing is stored. The hashes are for the realm of --config FILE (or of \
                conf/switchboard.toml, else the embedded default): changing [auth] realm or the \
                first of [sip] domains needs new hashes.
                """)

        @Argument(help: ArgumentHelp("User name (the user part of its address).", valueName: "user"))
        var username: String

        @Option(name: .long, help: "Password; without it, read from the first line of standard input.")
        var password: String?

        @OptionGroup var options: Options

        func run() throws {
            let configuration = options.configuration()
            guard UserDirectory.isValidName(username) else {
                Ctl.fail("invalid user name \"\(username)\" (letters, digits and - _ . ! ~ * ' ( ) + only)")
            }
            let secret = password ?? readLine(strippingNewline: true) ?? ""
            guard !secret.isEmpty else { Ctl.fail("the password is empty") }
            let realm = configuration.auth.effectiveRealm(configuration)
            print("# realm \"\(realm)\"")
            print(AuthSettings.userBlock(username: username, password: secret, realm: realm), terminator: "")
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
