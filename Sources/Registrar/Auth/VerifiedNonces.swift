import Synchronization

/// Nonces whose signature a `StatelessNonce` has checked, with their issue
/// time, so that the refreshes a phone sends with the same nonce (nc+1 each
/// time) look it up instead of computing the HMAC again.
///
/// Only nonces that passed the HMAC check are held, each with the realm and
/// source it was signed for; a lookup for another realm or source misses and
/// the HMAC decides, as it does for every nonce not held. The set belongs to
/// one `StatelessNonce` (one set of keys, fixed for its life). Bounded: when
/// full it is emptied, and nonces are checked by HMAC again as they come.
final class VerifiedNonces: Sendable {
    private struct Entry {
        var issuedAt: WallTime
        var realm: String
        var source: String?
    }

    private let capacity: Int
    private let entries = Mutex<[NonceCountTracker.Key: Entry]>([:])

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The issue time of `nonce` if it was verified for `realm` and `source`.
    func issuedAt(_ nonce: NonceCountTracker.Key, realm: String, source: String?) -> WallTime? {
        entries.withLock { entries in
            guard let entry = entries[nonce], entry.realm == realm, entry.source == source else { return nil }
            return entry.issuedAt
        }
    }

    /// Records a nonce whose signature was checked for `realm` and `source`.
    func insert(_ nonce: NonceCountTracker.Key, issuedAt: WallTime, realm: String, source: String?) {
        entries.withLock { entries in
            if entries.count >= capacity, entries[nonce] == nil { entries.removeAll(keepingCapacity: true) }
            entries[nonce] = Entry(issuedAt: issuedAt, realm: realm, source: source)
        }
    }

    /// Nonces held.
    var count: Int { entries.withLock { $0.count } }
}
