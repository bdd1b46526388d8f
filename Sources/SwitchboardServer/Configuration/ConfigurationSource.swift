/// Where a configuration comes from.
public enum ConfigurationSource: Hashable, Sendable, CustomStringConvertible {
    /// A file, by the path the operator gave (relative paths stay relative).
    case file(String)
    /// The default built into the binary (`DefaultConfiguration.text`).
    case embeddedDefault

    /// The name errors and logs use for this source.
    public var description: String {
        switch self {
        case .file(let path): return path
        case .embeddedDefault: return "<embedded default>"
        }
    }
}
