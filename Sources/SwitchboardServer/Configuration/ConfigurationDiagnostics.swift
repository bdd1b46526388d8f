/// Collects the errors of one load, locating each by its key path.
///
/// A class because every section reader of one load adds to the same list;
/// it lives only for the duration of one `ConfigurationLoader.load` call.
final class ConfigurationDiagnostics {
    let file: String
    let locator: TOMLKeyLocator?
    private(set) var errors: [ConfigurationError] = []
    /// Gaps that do not stop the load, e.g. an E911 location without a floor.
    private(set) var warnings: [ConfigurationError] = []

    init(file: String, locator: TOMLKeyLocator?) {
        self.file = file
        self.locator = locator
    }

    func report(_ problem: ConfigurationError.Problem, at path: ConfigurationKeyPath) {
        let position = locator?.position(of: path)
        errors.append(
            ConfigurationError(
                file: file, line: position?.line, column: position?.column, keyPath: path, problem: problem))
    }

    func report(_ error: ConfigurationError) {
        errors.append(error)
    }

    /// Records a gap at `path`: printed by `check-config` and logged, never fatal.
    func warn(_ text: String, at path: ConfigurationKeyPath) {
        let position = locator?.position(of: path)
        warnings.append(
            ConfigurationError(
                file: file, line: position?.line, column: position?.column, keyPath: path, problem: .invalid(text)))
    }

    /// Errors in file order; errors without a line (e.g. from the command line) last.
    var sortedErrors: [ConfigurationError] { Self.inFileOrder(errors) }

    /// Warnings in file order, those without a line last.
    var sortedWarnings: [ConfigurationError] { Self.inFileOrder(warnings) }

    private static func inFileOrder(_ errors: [ConfigurationError]) -> [ConfigurationError] {
        errors.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? Int.max, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? Int.max, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
    }
}
