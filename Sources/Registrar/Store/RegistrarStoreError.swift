/// A binding or user store failure. Every one becomes 500 to the UA whose
/// registration it concerned: the binding was not made durable.
public enum RegistrarStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database could not be opened or created at `path`.
    case open(path: String, reason: String)
    /// A schema migration failed; the store is unusable.
    case migration(String)
    case read(String)
    case write(String)
    /// A stored row cannot be turned back into a value.
    case corruptRow(table: String, reason: String)

    /// The SIP status a request answered from a failed store gets.
    public var status: Int { 500 }

    public var description: String {
        switch self {
        case .open(let path, let reason): "cannot open registrar store \(path): \(reason)"
        case .migration(let r): "registrar store migration failed: \(r)"
        case .read(let r): "registrar store read failed: \(r)"
        case .write(let r): "registrar store write failed: \(r)"
        case .corruptRow(let table, let r): "registrar store row in \(table) unreadable: \(r)"
        }
    }
}
