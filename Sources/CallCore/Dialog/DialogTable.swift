import SIPCore

/// The dialogs of one shard, keyed by (Call-ID, local tag, remote tag), each
/// with the owner that handles its requests (a bridged call's leg).
/// Confined to the shard's queue like everything the shard owns.
public struct DialogTable<Owner: Sendable>: Sendable {
    public struct Entry: Sendable {
        public var dialog: Dialog
        public var owner: Owner
    }

    private var entries: [DialogID: Entry] = [:]

    public init() {}

    public var count: Int { entries.count }

    public subscript(id: DialogID) -> Entry? {
        get { entries[id] }
        set { entries[id] = newValue }
    }

    /// Adds or replaces a dialog.
    public mutating func insert(_ dialog: Dialog, owner: Owner) {
        entries[dialog.id] = Entry(dialog: dialog, owner: owner)
    }

    @discardableResult
    public mutating func remove(_ id: DialogID) -> Entry? {
        entries.removeValue(forKey: id)
    }

    /// Finds the dialog of an in-dialog request and applies 12.2.2 to it:
    /// 481 when there is none, 500 when its CSeq is out of order.
    public mutating func receive(_ request: SIPMessage) throws(DialogError) -> Entry {
        guard let id = DialogID(receivedRequest: request), var entry = entries[id] else { throw .doesNotExist }
        try entry.dialog.receive(request)
        entries[id] = entry
        return entry
    }
}
