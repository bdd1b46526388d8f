import ArgumentParser
import Foundation
import SwitchboardServer

/// `switchboard cdr export`: the call detail records in the data directory.
struct CDR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cdr",
        abstract: "Export the call detail records.",
        subcommands: [Export.self]
    )

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the calls that started in a window as CSV.",
            discussion: """
                Reads cdr.sqlite in [server] data_dir of --config FILE (or of conf/switchboard.toml \
                in the working directory, else the embedded default); a running server need not stop. \
                One row per call (per attempt with --attempts), oldest first, after a header row; \
                times in ISO 8601 UTC, costs as decimals with their currency. --since and --until \
                take a time (2025-03-01, 2025-03-01T14:00:00Z, 2025-03-01T09:00-05:00; UTC when no \
                zone is given) or a duration back from now (90m, 24h, 7d, 1h30m); --since is \
                inclusive, --until exclusive.
                """
        )

        @Option(name: .long, help: ArgumentHelp("Calls that started at or after this time.", valueName: "time|duration"))
        var since: String?

        @Option(name: .long, help: ArgumentHelp("Calls that started before this time.", valueName: "time|duration"))
        var until: String?

        @Flag(name: .long, help: "One row per carrier attempt instead of one per call.")
        var attempts = false

        @Option(name: .long, help: ArgumentHelp("At most this many rows.", valueName: "n"))
        var limit: Int?

        @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "file"))
        var config: String?

        @Option(name: .long, help: ArgumentHelp("Where to write the CSV; - is standard output.", valueName: "file"))
        var output: String = "-"

        func validate() throws {
            if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
            for (name, value) in [("--since", since), ("--until", until)] {
                if let value, CDRTimestamp.parse(value, now: 0) == nil {
                    throw ValidationError("\(name) \"\(value)\" is neither an ISO 8601 time nor a duration such as 24h")
                }
            }
        }

        func run() throws {
            let now = Date().timeIntervalSince1970
            let query = CDRQuery(
                since: since.flatMap { CDRTimestamp.parse($0, now: now) },
                until: until.flatMap { CDRTimestamp.parse($0, now: now) }, limit: limit)
            let store: SQLiteCDRStore
            do {
                store = try SQLiteCDRStore(directory: dataDirectory(), create: false)
            } catch {
                Ctl.fail(error.description)
            }
            let sink: CSVSink
            do {
                sink = try CSVSink(path: output)
            } catch {
                Ctl.fail("cannot write \(output): \(error.localizedDescription)")
            }
            do {
                try CDRExport(query: query, rows: attempts ? .attempts : .calls).write(from: store) { sink.write($0) }
            } catch {
                Ctl.fail(error.description)
            }
            if let failure = sink.finish() {
                Ctl.fail("cannot write \(output): \(failure)")
            }
        }

        private func dataDirectory() -> String {
            let source: ConfigurationSource
            if let config {
                source = .file(config)
            } else if FileManager.default.fileExists(atPath: Run.conventionalPath) {
                source = .file(Run.conventionalPath)
            } else {
                source = .embeddedDefault
            }
            do {
                return try ConfigurationLoader().load(source).configuration.server.dataDirectory
            } catch {
                Ctl.fail(error.description)
            }
        }
    }
}

/// Buffered output to a file or standard output; the first write error is
/// kept and reported by `finish`, and later writes are skipped.
private final class CSVSink {
    private let handle: FileHandle
    private let closes: Bool
    private var buffer: [UInt8] = []
    private var failure: (any Error)?

    init(path: String) throws {
        if path == "-" {
            handle = FileHandle.standardOutput
            closes = false
        } else {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            closes = true
        }
        buffer.reserveCapacity(1 << 16)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 16 { drain() }
    }

    /// Writes what is buffered and closes a file; the error of the first failed write, if any.
    func finish() -> String? {
        drain()
        if closes { try? handle.close() }
        return failure.map { "\($0)" }
    }

    private func drain() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil, !buffer.isEmpty else { return }
        do { try handle.write(contentsOf: buffer) } catch { failure = error }
    }
}
