import Logging

/// The process's swift-log handler: writes text or JSON lines to a `LogOutput`
/// at the level the current configuration sets.
///
/// A logger may set its own level (`logger.logLevel = .debug`); otherwise it
/// follows `[log] level`, including changes made by a reload.
public struct SwitchboardLogHandler: LogHandler {
    public let label: String
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let output: LogOutput
    private var levelOverride: Logger.Level?

    public init(label: String, output: LogOutput, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.output = output
        self.metadataProvider = metadataProvider
    }

    public var logLevel: Logger.Level {
        get { levelOverride ?? output.current.level }
        set { levelOverride = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() {
            merged.merge(provided) { _, new in new }
        }
        if let eventMetadata = event.metadata {
            merged.merge(eventMetadata) { _, new in new }
        }
        let time = LogTimestamp.now()
        let line: String
        switch output.current.format {
        case .text:
            line = LogLineFormatter.text(
                time: time, level: event.level, label: label, message: event.message.description, metadata: merged)
        case .json:
            line = LogLineFormatter.json(
                time: time, level: event.level, label: label, message: event.message.description, metadata: merged)
        }
        output.emit(line)
    }
}
