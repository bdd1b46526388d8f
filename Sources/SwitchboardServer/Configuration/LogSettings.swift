import Logging

/// `[log]`: level and line format of the process log.
public struct LogSettings: Hashable, Sendable {
    /// How each log event is written.
    public enum Format: String, CaseIterable, Hashable, Sendable {
        /// `TIME LEVEL LOGGER: message key=value ...`
        case text
        /// One JSON object per line.
        case json
    }

    public var level: Logger.Level
    public var format: Format

    public init(level: Logger.Level = .info, format: Format = .text) {
        self.level = level
        self.format = format
    }

    init(reading section: inout ConfigurationSection) {
        self.level = section.choice("level", default: .info, what: "log level")
        self.format = section.choice("format", default: Format.text, what: "log format")
    }
}
