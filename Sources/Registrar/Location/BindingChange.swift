/// One change to the binding store, produced by registration processing and
/// persisted by `BatchedWriter`.
public enum BindingChange: Sendable, Hashable {
    /// Insert or replace the binding with the same AOR and key.
    case upsert(Binding)
    /// Remove the binding with this AOR and key, if present.
    case remove(aor: AddressOfRecord, key: String)

    public var aor: AddressOfRecord {
        switch self {
        case .upsert(let b): b.aor
        case .remove(let aor, _): aor
        }
    }
}
