import Foundation

/// Reads, parses and validates a configuration: the one code path that both
/// `switchboard check-config` and a running server's reload use, so that a
/// file `check-config` accepts is a file reload accepts.
public struct ConfigurationLoader: Sendable {
    /// `--listen` URIs from the command line; when not empty they replace `sip.listen`.
    public var listenOverrides: [String]

    public init(listenOverrides: [String] = []) {
        self.listenOverrides = listenOverrides
    }

    /// Loads `source` into a snapshot numbered `version`, or throws every problem found.
    public func load(
        _ source: ConfigurationSource, version: Int = 1, now: Date = Date()
    ) throws(InvalidConfiguration) -> ConfigurationSnapshot {
        let text: String
        switch source {
        case .embeddedDefault:
            text = DefaultConfiguration.text
        case .file(let path):
            do {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                guard let decoded = String(data: data, encoding: .utf8) else {
                    throw InvalidConfiguration(errors: [
                        ConfigurationError(file: path, problem: .unreadable("not UTF-8 text"))
                    ])
                }
                text = decoded
            } catch let error as InvalidConfiguration {
                throw error
            } catch {
                throw InvalidConfiguration(errors: [
                    ConfigurationError(file: path, problem: .unreadable(Self.reason(error)))
                ])
            }
        }
        let (configuration, warnings) = try decodeWithWarnings(text, file: source.description)
        return ConfigurationSnapshot(
            version: version, loadedAt: now, source: source, configuration: configuration,
            warnings: warnings.map(\.description))
    }

    /// Parses and validates TOML text; `file` names it in errors.
    public func decode(_ text: String, file: String) throws(InvalidConfiguration) -> Configuration {
        try decodeWithWarnings(text, file: file).configuration
    }

    /// Parses and validates TOML text, returning the gaps found as well (in file order).
    public func decodeWithWarnings(
        _ text: String, file: String
    ) throws(InvalidConfiguration) -> (configuration: Configuration, warnings: [ConfigurationError]) {
        var (section, diagnostics) = try Self.rootSection(text, file: file)
        var configuration = Configuration(reading: &section)

        if !listenOverrides.isEmpty {
            let commandLine = ConfigurationDiagnostics(file: "command line", locator: nil)
            let entries = listenOverrides.enumerated().map {
                (value: $0.element, path: ConfigurationKeyPath(keys: ["--listen"]).appending(index: $0.offset))
            }
            configuration.sip.listen = ListenAddress.parseList(entries) { commandLine.report($0, at: $1) }
            commandLine.errors.forEach(diagnostics.report)
        }
        configuration.sip.tls.validate(
            listen: configuration.sip.listen, at: ConfigurationKeyPath(keys: ["sip", "tls"]), diagnostics: diagnostics)

        configuration.emergency.validate(
            listen: configuration.sip.listen, at: ConfigurationKeyPath(keys: ["emergency"]), diagnostics: diagnostics)

        let errors = diagnostics.sortedErrors
        guard errors.isEmpty else { throw InvalidConfiguration(errors: errors) }
        return (configuration, diagnostics.sortedWarnings)
    }

    /// The root table of TOML text, with the diagnostics that locate its keys;
    /// a syntax error is reported at its line and column.
    static func rootSection(_ text: String, file: String) throws(InvalidConfiguration) -> (ConfigurationSection, ConfigurationDiagnostics) {
        let root: [String: TOMLNode]
        do {
            root = try TOMLNode.parse(text)
        } catch {
            throw InvalidConfiguration(errors: [
                ConfigurationError(
                    file: file, line: error.source.begin.line, column: error.source.begin.column,
                    problem: .syntax(error.description))
            ])
        }
        let diagnostics = ConfigurationDiagnostics(file: file, locator: TOMLKeyLocator(text: text))
        return (ConfigurationSection(path: .root, entries: root, diagnostics: diagnostics), diagnostics)
    }

    /// `No such file or directory` rather than Foundation's long descriptions.
    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError: return "No such file or directory"
            case NSFileReadNoPermissionError: return "Permission denied"
            default: break
            }
        }
        return nsError.localizedDescription
    }
}
