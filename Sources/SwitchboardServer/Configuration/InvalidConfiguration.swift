/// All the problems found in one configuration, in file order.
///
/// Loading never stops at the first problem: an operator fixing a file sees
/// every error in one `check-config` run.
public struct InvalidConfiguration: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigurationError]

    public init(errors: [ConfigurationError]) {
        self.errors = errors
    }

    /// One error per line.
    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
