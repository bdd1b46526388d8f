import CallCore
import Dispatch
import Foundation
import Logging

/// The running Switchboard process: owns the configuration in force and the
/// lifecycle around it — start, reload on SIGHUP, drain and exit on SIGTERM
/// or SIGINT.
///
/// Reloads run on their own serial queue, away from any message path; a
/// reload that fails validation changes nothing. Lifecycle events (signals,
/// drain) run on a second serial queue.
public final class Server: Sendable {
    /// The Switchboard release this binary is.
    public static let version = "0.1.0-dev"

    public let configuration: ConfigurationStore
    private let loader: ConfigurationLoader
    private let logOutput: LogOutput
    private let logger: Logger
    private let reloadQueue = DispatchQueue(label: "switchboard.reload")
    private let lifecycleQueue = DispatchQueue(label: "switchboard.lifecycle")
    private let state = LockedValue(State())

    private struct State {
        /// Held so the sources live as long as the server.
        var signalSources: [any DispatchSourceSignal] = []
        var drainParticipants: [any DrainParticipant] = []
        var reloadObservers: [@Sendable (ConfigurationSnapshot, ConfigurationSnapshot) -> Void] = []
        var draining = false
        var sip: SIPService?
        var registrar: RegistrarService?
        var control: ControlServer?
        var cdr: CDRWriter?
        var startedAt: ContinuousClock.Instant?
    }

    /// `snapshot` is the configuration to start with, loaded by `loader`;
    /// reloads read the snapshot's source again with the same loader.
    public init(snapshot: ConfigurationSnapshot, loader: ConfigurationLoader, logOutput: LogOutput, logger: Logger) {
        self.configuration = ConfigurationStore(snapshot)
        self.loader = loader
        self.logOutput = logOutput
        self.logger = logger
        logOutput.apply(snapshot.configuration.log)
    }

    /// Prepares the data directory, starts the SIP service and the control
    /// socket, and logs the start line.
    public func start() throws(ServerError) {
        let snapshot = configuration.current
        let settings = snapshot.configuration
        try Self.createDirectory(settings.server.dataDirectory)
        // The control socket first: a second server on the same files stops here, saying why.
        let control = ControlServer(path: settings.control.socketPath, logger: logger) { [weak self] line, reply in
            guard let self else { return reply("error: server stopped\n") }
            answerControl(line, reply: reply)
        }
        do {
            try control.start()
        } catch {
            throw .cannotOpenControlSocket(error.description)
        }
        let cdr: CDRWriter
        do {
            cdr = CDRWriter(store: try SQLiteCDRStore(directory: settings.server.dataDirectory))
        } catch {
            control.stop()
            throw .cannotOpenCDRStore(path: settings.server.dataDirectory, reason: error.description)
        }
        let registrar: (service: RegistrarService, secret: [UInt8])
        do {
            registrar = try RegistrarSetup.open(settings, logger: logger)
        } catch {
            control.stop()
            throw error
        }
        let sip = SIPService(configuration: settings, logger: logger, registrar: registrar, cdr: cdr)
        do {
            try sip.start()
        } catch {
            control.stop()
            throw .cannotListen(error.description)
        }
        state.withLock {
            $0.sip = sip
            $0.registrar = registrar.service
            $0.control = control
            $0.cdr = cdr
            $0.startedAt = .now
        }
        addDrainParticipant(CDRDrain(writer: cdr, after: SIPDrain(service: sip)))
        onReload { _, new in sip.apply(new.configuration) }
        logger.info(
            "started",
            metadata: [
                "release": "\(Self.version)",
                "source": "\(snapshot.source)",
                "listen": "\(settings.sip.listen.map(\.description).joined(separator: ","))",
                "control": "\(settings.control.socketPath)",
                "node": "\(settings.server.node)",
                "shards": "\(settings.server.effectiveShards)",
                "media_kernel": "\(sip.kernelForwarding.rawValue)",
                "pid": "\(ProcessInfo.processInfo.processIdentifier)",
            ])
        if let reason = sip.kernelForwardingRefusal {
            logger.warning("plain RTP relayed in user space: kernel forwarding unavailable", metadata: ["reason": "\(reason)"])
        }
        logWarnings(snapshot)
    }

    /// Logs the configuration's gaps (E911 and others) one per line at `warning`.
    private func logWarnings(_ snapshot: ConfigurationSnapshot) {
        for warning in snapshot.warnings {
            logger.warning("config: \(warning)", metadata: ["version": "\(snapshot.version)"])
        }
    }

    /// The registrar, once started (for `ctl registrations`).
    public var registrar: RegistrarService? { state.withLock { $0.registrar } }

    /// Where ended calls' records go, once started: the B2BUA hands them over here.
    public var cdrSink: (any CDRSink)? { state.withLock { $0.cdr } }

    /// The SIP service, once started (for `ctl status`).
    public var sip: SIPService? { state.withLock { $0.sip } }

    /// How long ago `start()` returned; zero before.
    public var uptime: Duration {
        guard let startedAt = state.withLock({ $0.startedAt }) else { return .zero }
        return startedAt.duration(to: .now)
    }

    /// Closes the control socket (removing its file) and the SIP listeners at
    /// once, without draining; for embedding and tests. Signals still drain.
    public func stop() {
        let (control, sip) = state.withLock { state in
            defer {
                state.control = nil
                state.sip = nil
            }
            return (state.control, state.sip)
        }
        control?.stop()
        sip?.stop()
    }

    /// Called with (old, new) after each successful reload, on the reload queue.
    public func onReload(_ observer: @escaping @Sendable (ConfigurationSnapshot, ConfigurationSnapshot) -> Void) {
        state.withLock { $0.reloadObservers.append(observer) }
    }

    public func addDrainParticipant(_ participant: any DrainParticipant) {
        state.withLock { $0.drainParticipants.append(participant) }
    }

    /// Loads the configuration source again and, if it is valid, makes it
    /// current with the next version number. `completion` runs on the reload queue.
    public func reload(
        completion: (@Sendable (Result<ConfigurationSnapshot, InvalidConfiguration>) -> Void)? = nil
    ) {
        reloadQueue.async { [self] in
            let previous = configuration.current
            let candidate: ConfigurationSnapshot
            do throws(InvalidConfiguration) {
                candidate = try loader.load(previous.source, version: previous.version + 1)
            } catch {
                logger.error(
                    "config reload failed, keeping current configuration",
                    metadata: [
                        "version": "\(previous.version)", "source": "\(previous.source)",
                        "errors": "\(error.errors.count)",
                    ])
                for problem in error.errors {
                    logger.error("\(problem)")
                }
                completion?(.failure(error))
                return
            }
            let (old, new) = configuration.replace { current in
                ConfigurationSnapshot(
                    version: current.version + 1, loadedAt: candidate.loadedAt, source: candidate.source,
                    configuration: candidate.configuration, warnings: candidate.warnings)
            }
            logOutput.apply(new.configuration.log)
            logger.info("config reloaded", metadata: ["version": "\(new.version)", "source": "\(new.source)"])
            logWarnings(new)
            for key in Self.restartOnlyChanges(from: old.configuration, to: new.configuration) {
                logger.warning("changed setting takes effect at the next restart", metadata: ["key": "\(key)"])
            }
            for observer in state.withLock({ $0.reloadObservers }) {
                observer(old, new)
            }
            completion?(.success(new))
        }
    }

    /// Drains every participant, bounded by `[server] drain_timeout`, then
    /// calls `completion` on the lifecycle queue. Later calls while draining are ignored.
    public func drain(reason: String, completion: @escaping @Sendable () -> Void) {
        lifecycleQueue.async { [self] in
            let participants: [any DrainParticipant]? = state.withLock { state in
                if state.draining { return nil }
                state.draining = true
                return state.drainParticipants
            }
            guard let participants else { return }
            let timeout = configuration.current.configuration.server.drainTimeout
            let deadline = DispatchTime.now() + .milliseconds(Int(timeout.components.seconds * 1000))
            logger.notice(
                "draining",
                metadata: [
                    "reason": "\(reason)", "timeout": "\(timeout.components.seconds)s",
                    "participants": "\(participants.count)",
                ])
            let finished = LockedValue(false)
            let finish: @Sendable (String) -> Void = { [self] outcome in
                guard finished.withLock({ done in defer { done = true }; return !done }) else { return }
                // The process exits next: the control socket file goes now, and
                // records of calls that ended since the drain began go to disk.
                state.withLock { $0.control }?.stop()
                state.withLock { $0.sip }?.stop()
                state.withLock { $0.registrar }?.flush()
                try? state.withLock { $0.cdr }?.flush()
                logger.notice("stopped", metadata: ["drain": "\(outcome)"])
                completion()
            }
            let group = DispatchGroup()
            for participant in participants {
                group.enter()
                participant.drain(until: deadline) {
                    group.leave()
                }
            }
            group.notify(queue: lifecycleQueue) { finish("complete") }
            lifecycleQueue.asyncAfter(deadline: deadline) { finish("timed out") }
        }
    }

    /// SIGHUP reloads; SIGTERM and SIGINT drain and then call `exit` with 0.
    /// A second SIGTERM or SIGINT during the drain calls `exit` at once.
    ///
    /// Returns once the signal sources are registered: libdispatch registers
    /// them asynchronously, and a signal arriving before that would be lost to
    /// `SIG_IGN`. Call it before logging that the server has started, and not
    /// from the lifecycle queue.
    public func installSignalHandlers(exit: @escaping @Sendable (Int32) -> Void) {
        let registered = DispatchGroup()
        var sources: [any DispatchSourceSignal] = []
        let hangUp = makeSignalSource(SIGHUP, registered: registered) { [self] in
            logger.info("SIGHUP received, reloading configuration")
            reload()
        }
        sources.append(hangUp)
        for (signalNumber, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")] {
            sources.append(
                makeSignalSource(signalNumber, registered: registered) { [self] in
                    if state.withLock({ $0.draining }) {
                        logger.warning("\(name) received again, exiting without waiting for the drain")
                        state.withLock { $0.registrar }?.flush()
                        try? state.withLock { $0.cdr }?.flush()
                        exit(0)
                        return
                    }
                    drain(reason: name) { exit(0) }
                })
        }
        state.withLock { $0.signalSources.append(contentsOf: sources) }
        if registered.wait(timeout: .now() + .seconds(10)) == .timedOut {
            logger.warning("signal handlers not registered after 10 s; early signals may be lost")
        }
    }

    private func makeSignalSource(
        _ signalNumber: Int32, registered: DispatchGroup, handler: @escaping @Sendable () -> Void
    ) -> any DispatchSourceSignal {
        // The default action (terminate) must be off for the dispatch source to see the signal.
        signal(signalNumber, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: lifecycleQueue)
        source.setEventHandler(handler: handler)
        registered.enter()
        source.setRegistrationHandler { registered.leave() }
        source.resume()
        return source
    }

    /// The settings that are read only at start: a reload that changes them is
    /// accepted, and the change applies after a restart.
    static func restartOnlyChanges(from old: Configuration, to new: Configuration) -> [String] {
        var keys: [String] = []
        if old.server.dataDirectory != new.server.dataDirectory { keys.append("server.data_dir") }
        if old.server.shards != new.server.shards { keys.append("server.shards") }
        if old.sip.nameserver != new.sip.nameserver { keys.append("sip.nameserver") }
        if old.sip.udpReceiveThreads != new.sip.udpReceiveThreads { keys.append("sip.udp_receive_threads") }
        if old.control.socketPath != new.control.socketPath { keys.append("control.socket") }
        if old.admin.listen != new.admin.listen { keys.append("admin.listen") }
        if old.media.kernelForwarding != new.media.kernelForwarding { keys.append("media.kernel_forwarding") }
        return keys
    }

    private static func createDirectory(_ path: String) throws(ServerError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            let nsError = error as NSError
            let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError
            let reason = underlying.map { String(cString: strerror(Int32($0.code))) } ?? nsError.localizedDescription
            throw .cannotCreateDataDirectory(path: path, reason: reason)
        }
    }
}
