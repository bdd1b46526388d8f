/// Why the server could not start.
public enum ServerError: Error, Hashable, Sendable, CustomStringConvertible {
    case cannotCreateDataDirectory(path: String, reason: String)
    /// A listener could not open (address in use, not an address of this machine…).
    case cannotListen(String)
    /// The control socket could not be created (no such directory, another server running…).
    case cannotOpenControlSocket(String)
    /// The registrar's database or secret in the data directory could not be opened.
    case cannotOpenStore(path: String, reason: String)
    /// The call record database in the data directory could not be opened.
    case cannotOpenCDRStore(path: String, reason: String)

    public var description: String {
        switch self {
        case .cannotCreateDataDirectory(let path, let reason):
            return "cannot create data directory \(path): \(reason)"
        case .cannotListen(let reason):
            return reason
        case .cannotOpenControlSocket(let reason):
            return reason
        case .cannotOpenStore(let path, let reason):
            return "cannot open the registrar store in \(path): \(reason)"
        case .cannotOpenCDRStore(let path, let reason):
            return "cannot open the call record store in \(path): \(reason)"
        }
    }
}
