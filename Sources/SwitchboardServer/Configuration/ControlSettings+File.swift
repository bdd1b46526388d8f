import Foundation

extension ControlSettings {
    /// The `[control] socket` a configuration file names, read without
    /// validating the rest: `ctl reload` must still find the running server
    /// when the file it is asked to load has errors elsewhere.
    public static func socketPath(inFile path: String) throws(InvalidConfiguration) -> String {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw InvalidConfiguration(errors: [ConfigurationError(file: path, problem: .unreadable(error.localizedDescription))])
        }
        let root: [String: TOMLNode]
        do {
            root = try TOMLNode.parse(text)
        } catch {
            throw InvalidConfiguration(errors: [
                ConfigurationError(
                    file: path, line: error.source.begin.line, column: error.source.begin.column,
                    problem: .syntax(error.description))
            ])
        }
        let diagnostics = ConfigurationDiagnostics(file: path, locator: TOMLKeyLocator(text: text))
        var section = ConfigurationSection(path: .root, entries: root, diagnostics: diagnostics)
        var control = section.section("control")
        let settings = ControlSettings(reading: &control)
        let errors = diagnostics.sortedErrors
        guard errors.isEmpty else { throw InvalidConfiguration(errors: errors) }
        return settings.socketPath
    }
}
