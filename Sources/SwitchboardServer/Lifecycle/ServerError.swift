/// Why the server could not start.
public enum ServerError: Error, Hashable, Sendable, CustomStringConvertible {
    case cannotCreateDataDirectory(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreateDataDirectory(let path, let reason):
            return "cannot create data directory \(path): \(reason)"
        }
    }
}
