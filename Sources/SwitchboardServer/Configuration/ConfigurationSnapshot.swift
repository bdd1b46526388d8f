import Foundation

/// One validated configuration as the server runs it: immutable, versioned
/// and shared. New work reads the current snapshot once and keeps it, so a
/// reload never changes a transaction or call halfway through.
public struct ConfigurationSnapshot: Sendable {
    /// 1 for the configuration the process started with, +1 per successful reload.
    public let version: Int
    public let loadedAt: Date
    public let source: ConfigurationSource
    public let configuration: Configuration
    /// Gaps that did not stop the load, each `FILE:LINE: key: text` (the line
    /// when the key is written): printed by `check-config`, logged at start and reload.
    public let warnings: [String]
    /// The E911 policy compiled from `[emergency]` and `[sip]`, for the call path.
    public let emergency: EmergencyPolicy

    public init(
        version: Int, loadedAt: Date, source: ConfigurationSource, configuration: Configuration, warnings: [String] = []
    ) {
        self.version = version
        self.loadedAt = loadedAt
        self.source = source
        self.configuration = configuration
        self.warnings = warnings
        self.emergency = EmergencyPolicy(configuration)
    }

    /// One line for `check-config` and the start log: what this configuration does.
    public var summary: String {
        let server = configuration.server
        let sip = configuration.sip
        var parts = [
            "node=\(server.node)",
            "listen=\(sip.listen.map(\.description).joined(separator: ","))",
            "shards=\(server.effectiveShards)",
            "log=\(configuration.log.level.rawValue)/\(configuration.log.format.rawValue)",
            "data_dir=\(server.dataDirectory)",
        ]
        if !sip.domains.isEmpty { parts.append("domains=\(sip.domains.joined(separator: ","))") }
        parts.append("admin=\(configuration.admin.listen?.description ?? "off")")
        parts.append("e911=\(emergency.summary)")
        return parts.joined(separator: " ")
    }
}
