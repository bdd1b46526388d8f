/// Collects the errors of one load, locating each by its key path.
///
/// A class because every section reader of one load adds to the same list;
/// it lives only for the duration of one `ConfigurationLoader.load` call.
final class ConfigurationDiagnostics {
    let file: String
    let locator: TOMLKeyLocator?
    private(set) var errors: [ConfigurationError] = []

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

    /// Errors in file order; errors without a line (e.g. from the command line) last.
    var sortedErrors: [ConfigurationError] {
        errors.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line ?? Int.max, lhs.element.column ?? 0, lhs.offset)
            let right = (rhs.element.line ?? Int.max, rhs.element.column ?? 0, rhs.offset)
            return left < right
        }.map(\.element)
    }
}
