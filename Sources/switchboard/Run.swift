import ArgumentParser
import CSwitchboardShims
import Dispatch
import Foundation
import Logging
import SwitchboardServer

/// `switchboard run`: the server, in the foreground until SIGTERM or SIGINT.
struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the server in the foreground.",
        discussion: """
            Without --config, reads conf/switchboard.toml from the working directory if it \
            exists, else the default configuration built into the binary. SIGHUP reloads the \
            configuration; SIGTERM or SIGINT drains and exits with status 0.
            """
    )

    /// The file read when `--config` is not given, relative to the working directory.
    static let conventionalPath = "conf/switchboard.toml"

    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Address to receive SIP on, TRANSPORT://HOST[:PORT]; repeat for several. Replaces sip.listen.",
            valueName: "uri"))
    var listen: [String] = []

    func run() throws {
        Self.restartWithMallocCache()
        let output = LogOutput.standardError()
        LoggingSystem.bootstrap { label in SwitchboardLogHandler(label: label, output: output) }
        let logger = Logger(label: "switchboard")

        let source: ConfigurationSource
        if let config {
            source = .file(config)
        } else if FileManager.default.fileExists(atPath: Self.conventionalPath) {
            source = .file(Self.conventionalPath)
            logger.info("using configuration file from the working directory", metadata: ["source": "\(source)"])
        } else {
            source = .embeddedDefault
            logger.info("no \(Self.conventionalPath) in the working directory; using the embedded default configuration")
        }

        let loader = ConfigurationLoader(listenOverrides: listen)
        let snapshot: ConfigurationSnapshot
        do {
            snapshot = try loader.load(source)
        } catch {
            logger.critical("invalid configuration, not starting", metadata: ["errors": "\(error.errors.count)"])
            for problem in error.errors {
                logger.critical("\(problem)")
            }
            throw ExitCode.failure
        }

        // Freed memory stays in the allocator between bursts of calls instead of
        // going back to the kernel after each (heap shrink and regrowth, each
        // with mprotect and page faults, was 5 % of a loaded proxy's CPU).
        _ = sb_malloc_tune(256 << 20, 64 << 20, 4 << 20)
        let server = Server(snapshot: snapshot, loader: loader, logOutput: output, logger: logger)
        // Signals first: once "started" is logged, SIGHUP, SIGTERM and SIGINT are handled.
        // After the drain everything worth keeping is on disk (CDRs and bindings
        // flushed): the process ends with _exit, so no atexit handler (OpenSSL's
        // cleanup among them) runs while a timer or a shard still works.
        // Log lines are written with write(2), unbuffered: nothing is lost.
        server.installSignalHandlers { status in _exit(status) }
        do {
            try server.start()
        } catch {
            logger.critical("\(error)")
            throw ExitCode.failure
        }
        dispatchMain()
    }

    /// glibc keeps 7 freed blocks per size in each thread's cache by default;
    /// past that, frees and allocations go through the arena's lock. A UDP
    /// receiver frees and allocates in bursts (a batch of messages), and the
    /// registrar's writer frees what the receiver allocated, so at 20 000
    /// REGISTERs a second the two queued on that lock thousands of times a
    /// second, and latency grew to hundreds of milliseconds. The cache size is
    /// a tunable read only when a process starts: `run` starts itself again,
    /// once, with a larger one, unless the environment already sets it.
    static func restartWithMallocCache() {
        #if os(Linux)
            let marker = "SWITCHBOARD_MALLOC_TUNED"
            guard getenv(marker) == nil else { return }
            setenv(marker, "1", 1)
            let current = getenv("GLIBC_TUNABLES").map { String(cString: $0) }
            if let current, current.contains("tcache_count") { return }
            let tunable = "glibc.malloc.tcache_count=2000"
            setenv("GLIBC_TUNABLES", current.map { "\($0):\(tunable)" } ?? tunable, 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            // Only when exec failed: run on with the default cache.
        #endif
    }
}
