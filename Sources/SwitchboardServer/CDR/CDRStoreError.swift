/// A call record store failure. Records the writer could not commit stay
/// queued and are tried again; the error is logged and counted.
public enum CDRStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database could not be opened or created at `path`.
    case open(path: String, reason: String)
    /// There is no call record database at `path` (nothing recorded yet, or another data directory).
    case missing(path: String)
    /// A schema migration failed; the store is unusable.
    case migration(String)
    case read(String)
    case write(String)
    /// A stored row cannot be turned back into a record.
    case corruptRow(table: String, reason: String)

    public var description: String {
        switch self {
        case .open(let path, let reason): "cannot open call record store \(path): \(reason)"
        case .missing(let path): "no call record store at \(path)"
        case .migration(let r): "call record store migration failed: \(r)"
        case .read(let r): "call record store read failed: \(r)"
        case .write(let r): "call record store write failed: \(r)"
        case .corruptRow(let table, let r): "call record store row in \(table) unreadable: \(r)"
        }
    }
}
