import ArgumentParser
import SwitchboardServer

/// `switchboard`: the SIP trunk edge's one binary.
@main
struct Switchboard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "switchboard",
        abstract: "SIP trunk edge: registrar, least-cost routing, E911 and media relay in one process.",
        version: Server.version,
        subcommands: [Run.self, CheckConfig.self, Decode.self, Route.self, Ctl.self, User.self, CDR.self]
    )
}
