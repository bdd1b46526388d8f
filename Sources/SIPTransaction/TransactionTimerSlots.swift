/// The wheel timers a transaction has running, by name. A state machine
/// runs at most three at once (a server's 100 Trying, G and H; a client's
/// A and B, or E and F), so they sit inline in its entry instead of in a
/// dictionary allocated per transaction, which a proxy or registrar keeps
/// by the ten thousand until Timer J, K, L or M.
struct TransactionTimerSlots {
    typealias ID = TimerWheel<TimerPayload>.TimerID

    private struct Slot {
        let name: TransactionTimerName
        var id: ID
    }

    private var first: Slot?
    private var second: Slot?
    private var third: Slot?
    /// Timers beyond three: no server machine runs that many; kept so none is lost.
    private var more: [Slot] = []

    /// The running timer of that name; nil removes it.
    subscript(name: TransactionTimerName) -> ID? {
        get {
            if let s = first, s.name == name { return s.id }
            if let s = second, s.name == name { return s.id }
            if let s = third, s.name == name { return s.id }
            return more.first { $0.name == name }?.id
        }
        set {
            if let newValue {
                updateValue(newValue, forKey: name)
            } else {
                removeValue(forKey: name)
            }
        }
    }

    /// Sets the timer of that name; returns the one it replaces.
    @discardableResult
    mutating func updateValue(_ id: ID, forKey name: TransactionTimerName) -> ID? {
        if let s = first, s.name == name {
            first = Slot(name: name, id: id)
            return s.id
        }
        if let s = second, s.name == name {
            second = Slot(name: name, id: id)
            return s.id
        }
        if let s = third, s.name == name {
            third = Slot(name: name, id: id)
            return s.id
        }
        if let i = more.firstIndex(where: { $0.name == name }) {
            defer { more[i].id = id }
            return more[i].id
        }
        let slot = Slot(name: name, id: id)
        if first == nil {
            first = slot
        } else if second == nil {
            second = slot
        } else if third == nil {
            third = slot
        } else {
            more.append(slot)
        }
        return nil
    }

    /// Removes the timer of that name; returns it.
    @discardableResult
    mutating func removeValue(forKey name: TransactionTimerName) -> ID? {
        if let s = first, s.name == name {
            first = nil
            return s.id
        }
        if let s = second, s.name == name {
            second = nil
            return s.id
        }
        if let s = third, s.name == name {
            third = nil
            return s.id
        }
        if let i = more.firstIndex(where: { $0.name == name }) { return more.remove(at: i).id }
        return nil
    }

    /// Every running timer, to cancel when the transaction ends.
    var values: [ID] {
        var out: [ID] = []
        for slot in [first, second, third] { if let slot { out.append(slot.id) } }
        for slot in more { out.append(slot.id) }
        return out
    }
}
