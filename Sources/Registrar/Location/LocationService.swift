import SIPCore

/// The registrar's in-memory location service: bindings per AOR, the GRUU
/// index and an expiry heap.
///
/// A value owned by the registrar's serial queue: every read and mutation
/// happens on that queue (the owner holds it; nothing here locks). Times are
/// passed in, never read.
public struct LocationService: Sendable {
    private var byAOR: [AddressOfRecord: [Binding]] = [:]
    private var heap = ExpiryHeap()
    /// Temporary GRUU user part → the binding it was issued to.
    private var tempGRUUs: [String: BindingRef] = [:]
    /// Live and not-yet-expired bindings held.
    public private(set) var bindingCount = 0
    /// Heap entries looked at by the last `expire(now:)`, for tests and metrics.
    public private(set) var lastExpireExamined = 0

    struct BindingRef: Sendable, Hashable {
        var aor: AddressOfRecord
        var key: String
    }

    public init() {}

    /// AORs with at least one binding.
    public var aorCount: Int { byAOR.count }

    /// The earliest expiry held, to schedule the next `expire(now:)`.
    public var nextExpiry: Double? { heap.earliest?.expiresAt }

    /// Every live binding, for listings (`ctl registrations`).
    public func allBindings(now: Double) -> [Binding] {
        byAOR.values.flatMap { $0.filter { $0.isLive(at: now) } }
    }

    /// The AOR's live bindings, as `Registration.process` takes them.
    public func bindings(for aor: AddressOfRecord, now: Double) -> [Binding] {
        guard let list = byAOR[aor] else { return [] }
        // Usually every binding is live: the list is shared, not copied.
        return list.allSatisfy { $0.isLive(at: now) } ? list : list.filter { $0.isLive(at: now) }
    }

    /// Targets for a request to `aor` (RFC 3261 16.6, RFC 3841 q ordering):
    /// live bindings grouped by q, highest first; one group forks in parallel,
    /// groups are tried in sequence. Within a group, the most recent first.
    public func lookup(_ aor: AddressOfRecord, now: Double) -> [[Binding]] {
        let live = bindings(for: aor, now: now).sorted {
            $0.priority != $1.priority ? $0.priority > $1.priority : $0.registeredAt > $1.registeredAt
        }
        var groups: [[Binding]] = []
        for b in live {
            if let last = groups.last?.first, last.priority == b.priority {
                groups[groups.count - 1].append(b)
            } else {
                groups.append([b])
            }
        }
        return groups
    }

    /// The bindings a GRUU names (RFC 5627 5.5): every live flow of the
    /// instance for a public GRUU, the one binding for a temporary GRUU.
    /// Empty when the GRUU is unknown or lapsed, or `uri` is not a GRUU.
    public func lookup(gruu uri: SIPURI, now: Double) -> [Binding] {
        switch GRUU.target(of: uri) {
        case nil:
            return []
        case .instance(let aor, let urn)?:
            return bindings(for: aor, now: now)
                .filter { $0.instanceID.map { GRUU.urn($0).lowercased() } == urn.lowercased() }
                .sorted { $0.registeredAt > $1.registeredAt }
        case .temporary(let token)?:
            guard let ref = tempGRUUs[token], let b = byAOR[ref.aor]?.first(where: { $0.key == ref.key }),
                b.tempGRUU == token, b.isLive(at: now)
            else { return [] }
            return [b]
        }
    }

    /// Makes an accepted registration visible.
    public mutating func apply(_ result: RegistrationResult) {
        replace(result.aor, with: result.bindings)
    }

    /// Sets an AOR's bindings wholesale (also to restore `previous` when persisting failed).
    public mutating func replace(_ aor: AddressOfRecord, with bindings: [Binding]) {
        let previous = byAOR[aor] ?? []
        for b in previous { unindex(b) }
        bindingCount -= previous.count
        if bindings.isEmpty {
            byAOR[aor] = nil
        } else {
            byAOR[aor] = bindings
            bindingCount += bindings.count
            for b in bindings { index(b, replacing: previous.first { $0.key == b.key }) }
        }
        compactIfNeeded()
    }

    /// Applies store changes, e.g. the bindings loaded at start.
    public mutating func apply(_ changes: [BindingChange]) {
        for change in changes {
            switch change {
            case .upsert(let b), .refresh(let b): upsert(b)
            case .remove(let aor, let key): remove(aor: aor, key: key)
            }
        }
    }

    /// Adds bindings in bulk, e.g. the ones loaded from the store at start:
    /// one in-place dictionary update per binding and one linear heap build,
    /// instead of a list copy and a heap push each. A binding whose AOR and
    /// key are already held replaces it.
    public mutating func load(_ bindings: [Binding]) {
        guard !bindings.isEmpty else { return }
        guard byAOR.isEmpty else {
            for b in bindings { upsert(b) }
            return
        }
        byAOR.reserveCapacity(bindings.count)
        var entries: [ExpiryHeap.Entry] = []
        entries.reserveCapacity(bindings.count)
        var multiple: [AddressOfRecord] = []
        for b in bindings {
            switch Self.place(b, in: &byAOR[b.aor, default: []]) {
            case .replaced: break
            case .first: bindingCount += 1
            case .added:
                bindingCount += 1
                multiple.append(b.aor)
            }
            entries.append(.init(expiresAt: b.expiresAt, aor: b.aor, key: b.key))
            if let t = b.tempGRUU { tempGRUUs[t] = BindingRef(aor: b.aor, key: b.key) }
        }
        // Oldest first within an AOR, as registrations arrived.
        for aor in multiple { byAOR[aor]?.sort { $0.registeredAt < $1.registeredAt } }
        heap.rebuild(entries)
    }

    private enum Placement { case first, added, replaced }

    private static func place(_ b: Binding, in list: inout [Binding]) -> Placement {
        if list.isEmpty {
            list.append(b)
            return .first
        }
        if let i = list.firstIndex(where: { $0.key == b.key }) {
            list[i] = b
            return .replaced
        }
        list.append(b)
        return .added
    }

    public mutating func upsert(_ b: Binding) {
        var previous: Binding?
        // Updated in place in the dictionary, so a refresh copies no list.
        let added = Self.upsert(b, in: &byAOR[b.aor, default: []], previous: &previous)
        if let previous { unindex(previous) }
        if added { bindingCount += 1 }
        index(b, replacing: previous)
        compactIfNeeded()
    }

    /// Replaces the binding with `b`'s key or appends `b`; true when appended.
    private static func upsert(_ b: Binding, in list: inout [Binding], previous: inout Binding?) -> Bool {
        if let i = list.firstIndex(where: { $0.key == b.key }) {
            previous = list[i]
            list[i] = b
            return false
        }
        list.append(b)
        return true
    }

    @discardableResult
    public mutating func remove(aor: AddressOfRecord, key: String) -> Binding? {
        guard var list = byAOR[aor], let i = list.firstIndex(where: { $0.key == key }) else { return nil }
        let b = list.remove(at: i)
        unindex(b)
        bindingCount -= 1
        byAOR[aor] = list.isEmpty ? nil : list
        return b
    }

    /// Removes and returns every binding that has lapsed by `now`. Looks only
    /// at heap entries due by `now`: a binding refreshed since its entry was
    /// queued is queued again at its new expiry, once per entry.
    public mutating func expire(now: Double) -> [Binding] {
        var removed: [Binding] = []
        var examined = 0
        while let top = heap.earliest, top.expiresAt <= now {
            _ = heap.pop()
            examined += 1
            guard let b = byAOR[top.aor]?.first(where: { $0.key == top.key }) else { continue }
            if b.expiresAt > now {
                heap.push(.init(expiresAt: b.expiresAt, aor: b.aor, key: b.key))
                continue
            }
            remove(aor: top.aor, key: top.key)
            removed.append(b)
        }
        lastExpireExamined = examined
        return removed
    }

    /// Queues `b`'s expiry unless the binding it replaces has an entry no later
    /// than it: a refresh (the usual REGISTER) then touches no heap entry.
    private mutating func index(_ b: Binding, replacing previous: Binding?) {
        if previous.map({ $0.expiresAt > b.expiresAt }) ?? true {
            heap.push(.init(expiresAt: b.expiresAt, aor: b.aor, key: b.key))
        }
        if let t = b.tempGRUU { tempGRUUs[t] = BindingRef(aor: b.aor, key: b.key) }
    }

    private mutating func unindex(_ b: Binding) {
        if let t = b.tempGRUU, tempGRUUs[t] == BindingRef(aor: b.aor, key: b.key) { tempGRUUs[t] = nil }
    }

    /// Deleted bindings and shortened expiries leave stale heap entries behind;
    /// rebuild once they outnumber live ones.
    private mutating func compactIfNeeded() {
        guard heap.count > 2 * bindingCount + 1024 else { return }
        heap.rebuild(byAOR.values.flatMap { $0 }.map { .init(expiresAt: $0.expiresAt, aor: $0.aor, key: $0.key) })
    }
}
