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
        var (section, diagnostics) = try ConfigurationLoader.rootSection(text, file: path)
        var control = section.section("control")
        let settings = ControlSettings(reading: &control)
        let errors = diagnostics.sortedErrors
        guard errors.isEmpty else { throw InvalidConfiguration(errors: errors) }
        return settings.socketPath
    }
}
