import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where log lines go and how they look, shared by every logger of the
/// process. Level and format change in place on reload, so loggers created
/// at start follow the configuration without being recreated.
public final class LogOutput: Sendable {
    private let settings: LockedValue<LogSettings>
    private let sink: @Sendable (String) -> Void

    /// `sink` receives each complete line, newline included.
    public init(settings: LogSettings = LogSettings(), sink: @escaping @Sendable (String) -> Void) {
        self.settings = LockedValue(settings)
        self.sink = sink
    }

    /// Standard error, one `write(2)` per line so that lines from several
    /// threads never interleave.
    public static func standardError(settings: LogSettings = LogSettings()) -> LogOutput {
        LogOutput(settings: settings) { line in
            var bytes = Array(line.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    return
                }
                bytes = bytes.dropFirst(written)
            }
        }
    }

    public var current: LogSettings {
        settings.current
    }

    public func apply(_ newSettings: LogSettings) {
        settings.withLock { $0 = newSettings }
    }

    func emit(_ line: String) {
        sink(line)
    }
}
