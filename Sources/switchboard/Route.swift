import ArgumentParser
import Foundation
import SwitchboardServer

/// `switchboard route NUMBER`: what least-cost routing would do with a call, with costs.
struct Route: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show the carriers a call to NUMBER would be sent to, in order, with their costs.",
        discussion: """
            Loads the configuration exactly as check-config does (without --config: \
            conf/switchboard.toml if it exists, else the embedded default), normalizes NUMBER \
            with the dial plan of the caller (--from) and prints:

              number +E164 dialled=NUMBER dial_plan=NAME
              N carrier=NAME prefix=DIGITS rate=PRICE/min increment=I/S connection_fee=FEE \
            cost_1min=COST cost_5min=COST host=HOST[:PORT] [secondary=HOST] uri=SIP-URI why=REASON

            one line per carrier, first choice first. Amounts have six decimals in the rate \
            deck's currency; a pinned carrier whose deck has no rate shows "-". REASON is \
            "pin routing.pin[N]" (with " (exclusive)"), "time rule routing.time_rule[N]", \
            "cost", "equal cost, preference P" or "equal cost, weighted draw (weight W)".

            A number that is blocked, has no route or is not a number of the dial plan \
            prints "rejected status=SIP-STATUS reason=..." and exits with status 1; an \
            invalid configuration prints its errors on standard error and exits with status 1.
            """
    )

    @Argument(help: ArgumentHelp("The number as a caller would dial it.", valueName: "number"))
    var number: String

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The caller: a source IP address, or a From user part or number; picks the [[routing.dial_plan]].",
            valueName: "number-or-ip"))
    var from: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The moment of the call, ISO 8601 (2026-11-20T18:30:00Z); default now. Decides effective dates and time rules.",
            valueName: "time"))
    var at: String?

    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Seed of the weighted draw among equal-cost carriers; default random.", valueName: "n"))
    var seed: UInt64?

    func run() throws {
        var date = Date()
        if let at {
            guard let given = Self.date(at) else {
                throw ValidationError("--at: \"\(at)\" is not an ISO 8601 date and time such as 2026-11-20T18:30:00Z")
            }
            date = given
        }

        let source: ConfigurationSource
        if let config {
            source = .file(config)
        } else if FileManager.default.fileExists(atPath: Run.conventionalPath) {
            source = .file(Run.conventionalPath)
        } else {
            source = .embeddedDefault
        }
        let snapshot: ConfigurationSnapshot
        do {
            snapshot = try ConfigurationLoader().load(source)
        } catch {
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode.failure
        }

        let plan = snapshot.routing
        let caller = from.map(CallSource.init(parsing:)) ?? .unknown
        do {
            guard plan.isEnabled else { throw RoutingRejection.notConfigured }
            let (e164, dialPlan) = try plan.normalize(number, from: caller)
            print(RouteReport.numberLine(e164, dialled: number, dialPlan: dialPlan))
            let decision = try plan.route(
                e164, dialled: number, dialPlan: dialPlan, at: RoutingPlan.time(date), random: seed ?? .random(in: .min ... .max))
            RouteReport.candidateLines(decision).forEach { print($0) }
        } catch let error as RoutingRejection {
            print(RouteReport.line(error))
            throw ExitCode.failure
        }
    }

    /// ISO 8601 with a time zone, with or without fractional seconds.
    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)
    }
}
