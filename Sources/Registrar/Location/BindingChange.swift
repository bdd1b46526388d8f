/// One change to the binding store, produced by registration processing and
/// persisted by `BatchedWriter`.
public enum BindingChange: Sendable, Hashable {
    /// Insert or replace the binding with the same AOR and key.
    case upsert(Binding)
    /// The binding a phone refreshed (RFC 3261 10.2.4): the one stored with the
    /// same AOR and key differs from it only in expiry, CSeq and registration
    /// time, so a store may update those three in place. A store that does not
    /// hold it inserts it, as for `upsert`.
    case refresh(Binding)
    /// Remove the binding with this AOR and key, if present.
    case remove(aor: AddressOfRecord, key: String)

    public var aor: AddressOfRecord {
        switch self {
        case .upsert(let b), .refresh(let b): b.aor
        case .remove(let aor, _): aor
        }
    }
}
